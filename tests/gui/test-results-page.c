/* test-results-page.c
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "md-finding-row.h"
#include "md-result-row.h"
#include "md-results-page.h"
#include "md-test-utils.h"
#include "md-test-gui.h"
#include "md-test-widgets.h"

/* Single quotes stand for double ones, to keep the JSON readable; texts
 * carry markup characters, which must show as they are. */
static const char problems_json[] =
  "{'version': 1,"
  " 'account': {'email': 'sam@example.org', 'host': 'smtp.example.org', 'port': 587,"
  "             'security': 'starttls', 'username': 'sam@example.org'},"
  " 'checks': ["
  "  {'id': 'dns.host', 'status': 'pass', 'summary': 'The server name is known',"
  "   'detail': '192.0.2.10', 'evidence': {'addresses': '192.0.2.10'}, 'duration_ms': 3},"
  "  {'id': 'smtp.greeting', 'status': 'fail',"
  "   'summary': 'The server is too busy & <b>closed</b> the connection',"
  "   'detail': '421 4.7.0 Too many connections',"
  "   'evidence': {'code': '421', 'enhanced_code': '4.7.0', 'text': 'Too many connections'},"
  "   'duration_ms': 40},"
  "  {'id': 'rep.dnsbl', 'status': 'warn', 'summary': 'Your address is on one blocklist',"
  "   'evidence': {'list': 'bl.example.net'}, 'duration_ms': 12}],"
  " 'findings': ["
  "  {'cause': 'server-busy', 'confidence': 0.9, 'checks': ['smtp.greeting'],"
  "   'explanation': 'The server has too many connections <right now> & refuses more.',"
  "   'fixes': ['check-server-status']},"
  "  {'cause': 'blocklisted', 'confidence': 0.4, 'checks': ['rep.dnsbl', 'smtp.auth'],"
  "   'explanation': 'One blocklist names your address.', 'fixes': []}],"
  " 'fixes': ["
  "  {'id': 'check-server-status', 'title': 'Check whether the mail server has a problem',"
  "   'why': 'A busy server answers 421.', 'effort': 'low',"
  "   'steps': ['Look at the status page.', 'Wait.'], 'verify': 'smtp.greeting'}],"
  " 'transcript': ["
  "  {'t_ms': 0, 'dir': 'S', 'text': '421 4.7.0 Too many connections'},"
  "  {'t_ms': 5, 'dir': 'C', 'text': 'QUIT'}]}";

static const char healthy_json[] =
  "{'version': 1,"
  " 'account': {'email': 'sam@example.org', 'host': 'smtp.example.org', 'port': 587},"
  " 'checks': ["
  "  {'id': 'smtp.greeting', 'status': 'pass', 'summary': 'The server answers',"
  "   'duration_ms': 20}],"
  " 'findings': [], 'fixes': [], 'transcript': []}";

/* The check works, but the user pasted a 421 that gave no reason. */
static const char works_now_json[] =
  "{'version': 1,"
  " 'account': {'email': 'sam@example.org', 'host': 'smtp.example.org', 'port': 587},"
  " 'checks': ["
  "  {'id': 'smtp.greeting', 'status': 'pass', 'summary': 'The server answers'},"
  "  {'id': 'error.text', 'status': 'warn', 'summary': 'Your error message gives no reason.',"
  "   'evidence': {'code': '421', 'text': '421 Service not available'}}],"
  " 'findings': [], 'fixes': [], 'transcript': []}";

typedef struct
{
  GtkWidget     *window;
  MdResultsPage *page;
} Fixture;

static AdwStatusPage *
find_status_page (gpointer root)
{
  g_autoptr(GPtrArray) pages = md_test_find_all (root, ADW_TYPE_STATUS_PAGE);

  g_assert_cmpuint (pages->len, ==, 1);

  return pages->pdata[0];
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->page = g_object_new (MD_TYPE_RESULTS_PAGE, NULL);
  fixture->window = md_test_present (fixture->page);
}

/* Closing the window frees the page: nothing it made holds it. */
static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  md_test_close_window (fixture->window, fixture->page);
}

static void
test_findings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (problems_json);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) evidence = NULL;
  g_autoptr(GPtrArray) expanders = NULL;
  AdwStatusPage *status;

  md_results_page_set_report (fixture->page, report, FALSE);

  /* The verdict leads: its cause's title and explanation. */
  status = find_status_page (fixture->page);
  g_assert_cmpstr (adw_status_page_get_title (status), ==,
                   md_cause_get_title (MD_CAUSE_SERVER_BUSY));
  g_assert_true (md_test_label_shown (fixture->page, "The server has too many connections "
                                      "<right now> & refuses more."));
  g_assert_cmpstr (adw_status_page_get_icon_name (status), ==, "dialog-warning-symbolic");

  /* One cause, with the checks that show it; the other finding is only
   * noticed, never a second problem. */
  rows = md_test_find_all (fixture->page, MD_TYPE_FINDING_ROW);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (md_finding_get_cause (md_finding_row_get_finding (rows->pdata[0])), ==,
                   MD_CAUSE_SERVER_BUSY);
  g_assert_nonnull (md_test_find_label (rows->pdata[0], "The checks that show it"));
  g_assert_cmpuint (md_finding_row_get_n_checks (rows->pdata[0]), ==, 1);
  g_assert_true (md_test_label_shown (fixture->page, "Also noticed"));
  g_assert_true (md_test_label_shown (fixture->page, "One blocklist names your address."));

  evidence = md_test_find_all (rows->pdata[0], MD_TYPE_RESULT_ROW);
  g_assert_cmpuint (evidence->len, ==, 1);
  g_assert_cmpint (md_result_row_get_status (evidence->pdata[0]), ==, MD_CHECK_STATUS_FAIL);
  g_assert_cmpstr (md_result_row_get_title (evidence->pdata[0]), ==,
                   "The server is too busy & <b>closed</b> the connection");
  g_assert_cmpuint (md_result_row_get_n_evidence (evidence->pdata[0]), ==, 3);
  /* The plain sentence is shown; the raw values wait, folded, in the
   * technical details. */
  expanders = md_test_find_all (evidence->pdata[0], GTK_TYPE_EXPANDER);
  g_assert_cmpuint (expanders->len, ==, 1);
  g_assert_cmpstr (gtk_expander_get_label (expanders->pdata[0]), ==, "Technical details");
  g_assert_false (gtk_expander_get_expanded (expanders->pdata[0]));
  /* A closed GtkExpander keeps its child out of the widget tree. */
  g_assert_nonnull (md_test_find_label (gtk_expander_get_child (expanders->pdata[0]), "4.7.0"));
  g_assert_nonnull (md_test_find_label (gtk_expander_get_child (expanders->pdata[0]),
                                        "enhanced_code"));

  g_assert_true (md_test_button_shown (fixture->page, "Fix it step by step"));
  g_assert_true (md_test_button_shown (fixture->page, "Save report"));
  g_assert_false (md_test_label_shown (fixture->page, "Opened from a saved report"));
}

static char *
dup_transcript (gpointer root)
{
  g_autoptr(GPtrArray) views = md_test_find_all (root, GTK_TYPE_TEXT_VIEW);
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_assert_cmpuint (views->len, ==, 1);
  buffer = gtk_text_view_get_buffer (views->pdata[0]);
  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
test_details (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (problems_json);
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *transcript = NULL;

  md_results_page_set_report (fixture->page, report, FALSE);

  /* Every check, once in "All checks", plus the verdict's evidence. */
  results = md_test_find_all (fixture->page, MD_TYPE_RESULT_ROW);
  g_assert_cmpuint (results->len, ==, 3 + 1);

  transcript = dup_transcript (fixture->page);
  g_assert_cmpstr (transcript, ==, "S: 421 4.7.0 Too many connections\nC: QUIT");
  g_assert_true (md_test_label_shown (fixture->page, "The server conversation"));
}

static guint
count_shown_labels (GtkWidget  *root,
                    const char *text)
{
  g_autoptr(GPtrArray) labels = md_test_find_all (root, GTK_TYPE_LABEL);
  guint n = 0;

  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0 &&
        md_test_is_shown (labels->pdata[i], root))
      n++;

  return n;
}

/* A check whose detail repeats its summary says it once. */
static void
test_said_once (void)
{
  GtkWidget *row = g_object_ref_sink (md_result_row_new (MD_CHECK_STATUS_PASS,
                                                         "The server answers",
                                                         "The server answers"));
  GtkWidget *other = g_object_ref_sink (md_result_row_new (MD_CHECK_STATUS_PASS,
                                                           "The server answers",
                                                           "In 20 ms"));

  g_assert_cmpuint (count_shown_labels (row, "The server answers"), ==, 1);
  g_assert_cmpuint (count_shown_labels (other, "In 20 ms"), ==, 1);
  g_object_unref (row);
  g_object_unref (other);
}

static GtkAdjustment *
page_vadjustment (MdResultsPage *page)
{
  g_autoptr(GPtrArray) scrolled = md_test_find_all (page, GTK_TYPE_SCROLLED_WINDOW);

  /* The status page's own, the outermost one. */
  g_assert_cmpuint (scrolled->len, >, 0);
  return gtk_scrolled_window_get_vadjustment (scrolled->pdata[0]);
}

/* A new run opens at the top, wherever the user had scrolled to. */
static void
test_scroll_to_top (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MdReport) problems = md_test_load_report (problems_json);
  g_autoptr(GPtrArray) expanders = NULL;
  GtkAdjustment *adjustment;

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 300);
  md_results_page_set_report (fixture->page, problems, FALSE);
  expanders = md_test_find_all (fixture->page, ADW_TYPE_EXPANDER_ROW);
  for (guint i = 0; i < expanders->len; i++)
    adw_expander_row_set_expanded (expanders->pdata[i], TRUE);
  md_test_flush (fixture->window);

  adjustment = page_vadjustment (fixture->page);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment),
                     >, 100);
  gtk_adjustment_set_value (adjustment, 100);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 100);

  md_results_page_set_report (fixture->page, problems, FALSE);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
}

static void
test_copy_transcript (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (problems_json);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->page));

  md_results_page_set_report (fixture->page, report, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                             "results.copy-transcript", NULL));

  gdk_clipboard_read_text_async (clipboard, NULL, md_test_store_result, &result);
  md_test_wait_result (&result, 5000);
  text = gdk_clipboard_read_text_finish (clipboard, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "S: 421 4.7.0 Too many connections\nC: QUIT");
}

static void
test_healthy (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (healthy_json);
  g_autoptr(GPtrArray) rows = NULL;
  AdwStatusPage *status;

  md_results_page_set_report (fixture->page, report, FALSE);

  status = find_status_page (fixture->page);
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "Your settings work");
  g_assert_cmpstr (adw_status_page_get_icon_name (status), ==, "emblem-ok-symbolic");

  rows = md_test_find_all (fixture->page, MD_TYPE_FINDING_ROW);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_false (md_test_label_shown (fixture->page, "How Mail Doctor knows"));
  g_assert_false (md_test_label_shown (fixture->page, "Also noticed"));
  g_assert_false (md_test_button_shown (fixture->page, "Fix it step by step"));
  g_assert_true (md_test_button_shown (fixture->page, "Save report"));
  /* No conversation, no empty box for one. */
  g_assert_false (md_test_label_shown (fixture->page, "The server conversation"));
}

/* A pasted 421 and a server that works now: said plainly, with what to
 * try, and no problem made up. */
static void
test_works_now (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (works_now_json);
  AdwStatusPage *status;

  md_results_page_set_report (fixture->page, report, FALSE);

  status = find_status_page (fixture->page);
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "Your server works now");
  g_assert_cmpstr (adw_status_page_get_icon_name (status), ==, "emblem-ok-symbolic");
  g_assert_nonnull (strstr (adw_status_page_get_description (status),
                            "was temporary, or it came from a later step"));
  g_assert_false (md_test_label_shown (fixture->page, "How Mail Doctor knows"));
  g_assert_false (md_test_button_shown (fixture->page, "Fix it step by step"));
}

static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (problems_json);

  md_results_page_set_report (fixture->page, report, TRUE);

  g_assert_true (md_test_label_shown (fixture->page, "Opened from a saved report"));
  /* An opened report still has its steps and can be saved again. */
  g_assert_true (md_test_button_shown (fixture->page, "Fix it step by step"));
  g_assert_true (md_test_button_shown (fixture->page, "Save report"));
}

/* A re-check gives a new report: the page shows it alone. */
static void
test_replace (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MdReport) problems = md_test_load_report (problems_json);
  g_autoptr(MdReport) healthy = md_test_load_report (healthy_json);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) expanders = NULL;

  md_results_page_set_report (fixture->page, problems, TRUE);
  expanders = md_test_find_all (fixture->page, ADW_TYPE_EXPANDER_ROW);
  for (guint i = 0; i < expanders->len; i++)
    adw_expander_row_set_expanded (expanders->pdata[i], TRUE);
  md_results_page_set_report (fixture->page, healthy, FALSE);

  /* It opens as the first run did: every row collapsed. */
  g_clear_pointer (&expanders, g_ptr_array_unref);
  expanders = md_test_find_all (fixture->page, ADW_TYPE_EXPANDER_ROW);
  for (guint i = 0; i < expanders->len; i++)
    g_assert_false (adw_expander_row_get_expanded (expanders->pdata[i]));

  results = md_test_find_all (fixture->page, MD_TYPE_RESULT_ROW);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (md_result_row_get_title (results->pdata[0]), ==, "The server answers");
  g_assert_false (md_test_label_shown (fixture->page, "Opened from a saved report"));
}

/* Stands in for the window's actions, by the names the window installs;
 * records each activation in @activated. */
static void
add_window_actions (Fixture   *fixture,
                    GPtrArray *activated)
{
  static const GActionEntry entries[] = {
    { .name = "fix" },
    { .name = "save-report" },
  };

  md_test_record_actions (fixture->window, entries, G_N_ELEMENTS (entries), activated);
}

static void
test_actions (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (problems_json);
  g_autoptr(GPtrArray) activated = g_ptr_array_new_with_free_func (g_free);

  add_window_actions (fixture, activated);
  md_results_page_set_report (fixture->page, report, FALSE);

  g_signal_emit_by_name (md_test_find_button (fixture->page, "Fix it step by step"),
                         "clicked");
  g_signal_emit_by_name (md_test_find_button (fixture->page, "Save report"), "clicked");

  g_assert_cmpuint (activated->len, ==, 2);
  g_assert_cmpstr (activated->pdata[0], ==, "fix");
  g_assert_cmpstr (activated->pdata[1], ==, "save-report");
}

static void
test_shown_focus (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (problems_json);
  g_autoptr(GPtrArray) activated = g_ptr_array_new_with_free_func (g_free);

  add_window_actions (fixture, activated);
  md_results_page_set_report (fixture->page, report, FALSE);
  md_page_shown (MD_PAGE (fixture->page));

  g_assert_true (gtk_window_get_focus (GTK_WINDOW (fixture->window)) ==
                 md_test_find_button (fixture->page, "Fix it step by step"));
  g_assert_cmpstr (md_page_get_title (MD_PAGE (fixture->page)), ==, "Results");
}

static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(MdReport) report = md_test_load_report (problems_json);
  g_autoptr(GPtrArray) activated = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) expanders = NULL;
  g_autoptr(GPtrArray) reached = NULL;

  add_window_actions (fixture, activated);
  md_results_page_set_report (fixture->page, report, FALSE);
  reached = md_test_tab_through (fixture->window);

  rows = md_test_find_all (fixture->page, MD_TYPE_FINDING_ROW);
  for (guint i = 0; i < rows->len; i++)
    g_assert_true (md_test_reaches (reached, rows->pdata[i]));
  g_assert_true (md_test_reaches (reached, md_test_find_button (fixture->page,
                                                                "Fix it step by step")));
  g_assert_true (md_test_reaches (reached, md_test_find_button (fixture->page, "Save report")));
  /* The findings, "All checks" and "The server conversation". */
  expanders = md_test_find_all (fixture->page, ADW_TYPE_EXPANDER_ROW);
  g_assert_cmpuint (expanders->len, ==, rows->len + 2);
  for (guint i = 0; i < expanders->len; i++)
    g_assert_true (md_test_reaches (reached, expanders->pdata[i]));
}

static GtkWidget *
make_page (gconstpointer json)
{
  g_autoptr(MdReport) report = md_test_load_report (json);
  MdResultsPage *page = g_object_new (MD_TYPE_RESULTS_PAGE, NULL);

  md_results_page_set_report (page, report, FALSE);

  return GTK_WIDGET (page);
}

/* The verdict's evidence opened, and its technical details. */
static GtkWidget *
make_opened_page (gconstpointer json)
{
  GtkWidget *page = make_page (json);
  g_autoptr(GPtrArray) rows = md_test_find_all (page, MD_TYPE_FINDING_ROW);
  g_autoptr(GPtrArray) details = NULL;

  adw_expander_row_set_expanded (rows->pdata[0], TRUE);
  details = md_test_find_all (rows->pdata[0], GTK_TYPE_EXPANDER);
  gtk_expander_set_expanded (details->pdata[0], TRUE);

  return page;
}

static void
test_screenshots (void)
{
  md_test_shoot_page ("results-problems", make_page, problems_json);
  md_test_shoot_page ("results-evidence", make_opened_page, problems_json);
  md_test_shoot_page ("results-healthy", make_page, healthy_json);
  md_test_shoot_page ("results-works-now", make_page, works_now_json);
}

int
main (int   argc,
      char *argv[])
{
  if (!md_test_gui_init (&argc, &argv))
    return 0;

#define ADD(path, func) \
  g_test_add ("/md/gui/results/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("findings", test_findings);
  ADD ("details", test_details);
  ADD ("copy-transcript", test_copy_transcript);
  ADD ("healthy", test_healthy);
  ADD ("works-now", test_works_now);
  ADD ("read-only", test_read_only);
  ADD ("replace", test_replace);
  ADD ("scroll-to-top", test_scroll_to_top);
  g_test_add_func ("/md/gui/results/said-once", test_said_once);
  ADD ("actions", test_actions);
  ADD ("shown-focus", test_shown_focus);
  ADD ("keyboard", test_keyboard);

#undef ADD

  g_test_add_func ("/md/gui/results/screenshots", test_screenshots);

  return g_test_run ();
}
