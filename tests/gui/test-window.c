/* test-window.c: the wizard's window, driven through its actions
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window is driven as a user drives it, through the "win.*" actions
 * its buttons and shortcuts use, against the in-process scripted peer;
 * DNS comes from the fake resolver.
 */

#include <unistd.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "md-fix-page.h"
#include "md-test-gui.h"
#include "md-test-peer.h"
#include "md-test-resolver.h"
#include "md-test-utils.h"
#include "md-test-widgets.h"
#include "md-welcome-page.h"
#include "md-window.h"

#define RUN_TIMEOUT_MS 10000

typedef struct
{
  MdTestResolver *resolver;
  MdSettings     *settings;
  MdTestPeer     *peer;
  MdWindow       *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  md_test_reset_settings ();
  f->resolver = md_test_resolver_new ();
  md_test_resolver_install (f->resolver);
  f->settings = md_settings_new ();
  /* Our own reference: a test may close the window itself. */
  f->window = g_object_ref (g_object_new (MD_TYPE_WINDOW, "settings", f->settings, NULL));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 600, 800);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  /* Work in flight holds the window until it has seen the cancellation. */
  md_test_wait_finalized (g_steal_pointer (&f->window), RUN_TIMEOUT_MS);

  g_clear_pointer (&f->peer, md_test_peer_free);
  g_clear_object (&f->settings);
  md_test_resolver_uninstall (f->resolver);
  md_test_wait_finalized (g_steal_pointer (&f->resolver), 5000);
}

static void
start_peer (Fixture    *f,
            const char *scenario)
{
  f->peer = md_test_peer_new (md_test_script_new_scenario (scenario, NULL, NULL));
}

static void
activate (Fixture    *f,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), action, NULL));
}

typedef struct
{
  Fixture    *f;
  const char *page;
} PageWait;

static gboolean
page_is (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (md_window_get_page (wait->f->window), wait->page) == 0;
}

static void
wait_for_page (Fixture    *f,
               const char *page,
               guint       timeout_ms)
{
  PageWait wait = { f, page };

  md_test_wait_for (page_is, &wait, timeout_ms);
}

static GtkWidget *
check_button (Fixture *f)
{
  GtkWidget *button = md_test_find_button (f->window, "Check");

  g_assert_nonnull (button);
  return button;
}

/* The account the scripted peer stands for: plain SMTP on loopback. */
static void
fill_account (Fixture *f)
{
  g_autofree char *port = g_strdup_printf ("%u", md_test_peer_get_port (f->peer));
  g_autoptr(GPtrArray) combos = md_test_find_all (f->window, ADW_TYPE_COMBO_ROW);

  md_test_type (md_test_find_entry_row (f->window, "Outgoing server"), "127.0.0.1");
  md_test_type (md_test_find_entry_row (f->window, "Port"),
                port);
  adw_combo_row_set_selected (combos->pdata[0], MD_SECURITY_NONE);
}

static void
test_check_follows_validation (Fixture       *f,
                               gconstpointer  data)
{
  g_assert_cmpstr (md_window_get_page (f->window), ==, "welcome");

  activate (f, "win.start");
  g_assert_cmpstr (md_window_get_page (f->window), ==, "account");
  g_assert_false (gtk_widget_is_sensitive (check_button (f)));

  md_test_type (md_test_find_entry_row (f->window, "Outgoing server"), "smtp example");
  g_assert_false (gtk_widget_is_sensitive (check_button (f)));

  md_test_type (md_test_find_entry_row (f->window, "Outgoing server"), "smtp.example.test");
  g_assert_true (gtk_widget_is_sensitive (check_button (f)));

  activate (f, "win.back");
  g_assert_cmpstr (md_window_get_page (f->window), ==, "welcome");
}

static void
test_run_to_results (Fixture       *f,
                     gconstpointer  data)
{
  start_peer (f, "greet421");
  activate (f, "win.start");
  fill_account (f);

  activate (f, "win.check");
  g_assert_cmpstr (md_window_get_page (f->window), ==, "checking");

  wait_for_page (f, "results", RUN_TIMEOUT_MS);
  g_assert_nonnull (md_window_get_report (f->window));
  g_assert_false (md_window_get_read_only (f->window));

  /* Back from the results goes to the account, never to old progress. */
  activate (f, "win.back");
  g_assert_cmpstr (md_window_get_page (f->window), ==, "account");

  /* What was typed is remembered for next time. */
  g_assert_cmpstr (md_settings_get_host (f->settings), ==, "127.0.0.1");
  g_assert_cmpuint (md_settings_get_port (f->settings), ==, md_test_peer_get_port (f->peer));
}

static gboolean
peer_connected (gpointer data)
{
  return md_test_peer_get_n_connections (data) > 0;
}

/* The peer's wait blocks this thread; the main context must first have
 * had the chance to close the connection. */
static void
wait_peer_done (Fixture *f)
{
  md_test_spin (500);
  md_test_peer_wait_done (f->peer, 2500);
}

static void
test_cancel_returns (Fixture       *f,
                     gconstpointer  data)
{
  start_peer (f, "silent");
  activate (f, "win.start");
  fill_account (f);
  activate (f, "win.check");
  g_assert_cmpstr (md_window_get_page (f->window), ==, "checking");
  md_test_wait_for (peer_connected, f->peer, RUN_TIMEOUT_MS);

  /* Cancel goes back at once, and the checks stop: the peer sees the
   * connection close long before the run's own deadline. */
  activate (f, "win.cancel");
  g_assert_cmpstr (md_window_get_page (f->window), ==, "account");
  g_assert_true (gtk_widget_is_sensitive (check_button (f)));
  wait_peer_done (f);
}

static void
test_close_cancels (Fixture       *f,
                    gconstpointer  data)
{
  start_peer (f, "silent");
  activate (f, "win.start");
  fill_account (f);
  activate (f, "win.check");
  md_test_wait_for (peer_connected, f->peer, RUN_TIMEOUT_MS);

  gtk_window_close (GTK_WINDOW (f->window));
  wait_peer_done (f);
}

static void
test_size_remembered (Fixture       *f,
                      gconstpointer  data)
{
  int width = 0, height = 0;
  gboolean maximized = TRUE;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 700);
  gtk_window_close (GTK_WINDOW (f->window));

  md_settings_get_window_state (f->settings, &width, &height, &maximized);
  g_assert_cmpint (width, ==, 640);
  g_assert_cmpint (height, ==, 700);
  g_assert_false (maximized);
}

static char *
write_report_file (Fixture *f)
{
  g_autoptr(MdAccount) account = md_account_new ();
  g_autoptr(MdDiagnosis) diagnosis = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MdReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  char *path = NULL;
  int fd;

  start_peer (f, "greet421");
  md_account_set_host (account, "127.0.0.1");
  md_account_set_port (account, md_test_peer_get_port (f->peer));
  md_account_set_security (account, MD_SECURITY_NONE);
  diagnosis = md_diagnosis_new (account);
  md_diagnosis_set_timeout_ms (diagnosis, RUN_TIMEOUT_MS);
  md_diagnosis_run_async (diagnosis, NULL, md_test_store_result, &result);
  md_test_wait_result (&result, RUN_TIMEOUT_MS + 2000);

  report = md_report_new_from_diagnosis (diagnosis);
  json = md_report_to_json (report);
  fd = g_file_open_tmp ("md-report-XXXXXX.json", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
test_open_report (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = write_report_file (f);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  md_window_open_file (f->window, file);
  wait_for_page (f, "results", RUN_TIMEOUT_MS);

  /* A helpdesk's view: the results, with nothing to check again. */
  g_assert_nonnull (md_window_get_report (f->window));
  g_assert_true (md_window_get_read_only (f->window));
  g_assert_null (md_test_find_button (f->window, "_Check again"));

  md_test_save_screenshot (GTK_WIDGET (f->window), "window-opened-report");

  activate (f, "win.back");
  g_assert_cmpstr (md_window_get_page (f->window), ==, "welcome");
  g_unlink (path);
}

static gboolean
label_exists (gpointer data)
{
  gpointer *args = data;

  return md_test_find_label (args[0], args[1]) != NULL;
}

static void
test_open_not_a_report (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  const char *message = "This file is not a Mail Doctor report";
  gpointer args[] = { f->window, (gpointer)message };
  int fd = g_file_open_tmp ("md-report-XXXXXX.json", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, "{\"version\": \"nonsense\"", -1, &error);
  g_assert_no_error (error);

  file = g_file_new_for_path (path);
  md_window_open_file (f->window, file);

  /* Said in a toast, in words; the page stays where it was. */
  md_test_wait_for (label_exists, args, RUN_TIMEOUT_MS);
  g_assert_cmpstr (md_window_get_page (f->window), ==, "welcome");
  g_assert_null (md_window_get_report (f->window));
  g_unlink (path);
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static void
test_open_shows_chooser (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *dialog;

  /* Ctrl+O's action asks for a file; cancelling it changes nothing. */
  activate (f, "win.open");
  md_test_wait_for (chooser_shown, NULL, RUN_TIMEOUT_MS);

  dialog = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Open a Report");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpstr (md_window_get_page (f->window), ==, "welcome");
}

typedef struct
{
  const char *name;
  const char *starts_with;
} SaveCase;

static void
save_as (Fixture    *f,
         const char *path)
{
  GtkWidget *dialog;

  activate (f, "win.save-report");
  md_test_wait_for (chooser_shown, NULL, RUN_TIMEOUT_MS);
  dialog = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Save Report");

  /* Typed as a whole path, which the chooser takes as a user's would. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), path);
  md_test_spin (300);
  g_signal_emit_by_name (md_test_find_button (dialog, "_Save"), "clicked");
}

/* The file appears empty, then gets the report in one write. */
static gboolean
file_written (gpointer data)
{
  GStatBuf buf;

  return g_stat (data, &buf) == 0 && buf.st_size > 0;
}

static void
test_save_report (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *report_path = write_report_file (f);
  g_autoptr(GFile) report_file = g_file_new_for_path (report_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("md-save-XXXXXX", &error);
  const SaveCase cases[] = {
    { "saved.json", "{" },
    { "saved.txt", NULL },
    { "saved.html", "<!DOCTYPE html>" },
  };

  g_assert_no_error (error);
  md_window_open_file (f->window, report_file);
  wait_for_page (f, "results", RUN_TIMEOUT_MS);

  /* The name's ending picks the format. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, cases[i].name, NULL);
      g_autofree char *contents = NULL;

      save_as (f, path);
      md_test_wait_for (file_written, path, RUN_TIMEOUT_MS);
      md_test_spin (100);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      if (cases[i].starts_with != NULL)
        g_assert_true (g_str_has_prefix (g_strchug (contents), cases[i].starts_with));
      else
        g_assert_false (g_str_has_prefix (g_strchug (contents), "{"));
      g_unlink (path);
    }

  g_rmdir (dir);
  g_unlink (report_path);
}

static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  const char *entries[] = { "Email address", "Outgoing server", "Port", "Username",
                            "Password" };
  g_autoptr(GPtrArray) welcome = NULL;
  g_autoptr(GPtrArray) account = NULL;
  g_autoptr(GPtrArray) combos = NULL;
  g_autoptr(GPtrArray) views = md_test_find_all (f->window, GTK_TYPE_TEXT_VIEW);
  g_autoptr(GPtrArray) pages = md_test_find_all (f->window, MD_TYPE_WELCOME_PAGE);
  GtkWidget *open;

  md_test_flush (GTK_WIDGET (f->window));
  welcome = md_test_tab_through (GTK_WIDGET (f->window));
  g_assert_true (md_test_reaches (welcome, views->pdata[0]));
  g_assert_true (md_test_reaches (welcome, md_test_find_button (f->window, "Start")));
  /* The welcome page's, not the menu item's of the same name. */
  open = gtk_widget_get_parent (md_test_find_label (pages->pdata[0], "Open a Report…"));
  g_assert_true (md_test_reaches (welcome, open));

  activate (f, "win.start");
  md_test_type (md_test_find_entry_row (f->window, "Outgoing server"), "smtp.example.test");
  md_test_flush (GTK_WIDGET (f->window));
  account = md_test_tab_through (GTK_WIDGET (f->window));

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_assert_true (md_test_reaches (account, md_test_find_entry_row (f->window, entries[i])));
  combos = md_test_find_all (f->window, ADW_TYPE_COMBO_ROW);
  g_assert_true (md_test_reaches (account, combos->pdata[0]));
  g_assert_true (md_test_reaches (account, check_button (f)));
}

static MdFixPage *
fix_page (MdWindow *window)
{
  g_autoptr(GPtrArray) pages = md_test_find_all (window, MD_TYPE_FIX_PAGE);

  g_assert_cmpuint (pages->len, ==, 1);
  return pages->pdata[0];
}

/* The mail program picked on the fix page is the one the next window
 * opens with; the general steps are remembered as such too. */
static void
test_mail_program_remembered (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(MdSettings) fresh = NULL;
  g_autoptr(MdWindow) second = NULL;

  g_assert_null (md_fix_page_get_mail_program (fix_page (f->window)));

  md_fix_page_set_mail_program (fix_page (f->window), "evolution");
  fresh = md_settings_new ();
  g_assert_cmpstr (md_settings_get_mail_program (fresh), ==, "evolution");

  second = g_object_ref_sink (g_object_new (MD_TYPE_WINDOW, "settings", fresh, NULL));
  g_assert_cmpstr (md_fix_page_get_mail_program (fix_page (second)), ==, "evolution");

  md_fix_page_set_mail_program (fix_page (second), NULL);
  g_assert_cmpstr (md_settings_get_mail_program (f->settings), ==, "");
  g_assert_cmpstr (md_settings_get_mail_program (fresh), ==, "");
  g_assert_null (md_fix_page_get_mail_program (fix_page (f->window)));

  gtk_window_destroy (GTK_WINDOW (second));
}

int
main (int   argc,
      char *argv[])
{
  if (!md_test_gui_init (&argc, &argv))
    return 0;

#define ADD(path, func) \
  g_test_add ("/md/gui/window/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("check-follows-validation", test_check_follows_validation);
  ADD ("run-to-results", test_run_to_results);
  ADD ("cancel-returns", test_cancel_returns);
  ADD ("close-cancels", test_close_cancels);
  ADD ("size-remembered", test_size_remembered);
  ADD ("open-report", test_open_report);
  ADD ("open-not-a-report", test_open_not_a_report);
  ADD ("open-shows-chooser", test_open_shows_chooser);
  ADD ("save-report", test_save_report);
  ADD ("keyboard", test_keyboard);
  ADD ("mail-program-remembered", test_mail_program_remembered);

#undef ADD

  return g_test_run ();
}
