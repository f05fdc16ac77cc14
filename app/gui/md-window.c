/* md-window.c: the wizard's window
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window owns the run: it builds the account from the account page,
 * runs the diagnosis, and hands the report to the pages that show it. Its
 * "win.*" actions are the UI's API: buttons, keyboard shortcuts, tests and
 * the accessibility tree all go through them. Reading and writing report
 * files is in md-window-files.c.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-account-page.h"
#include "md-application.h"
#include "md-checking-page.h"
#include "md-done-page.h"
#include "md-finding.h"
#include "md-fix-page.h"
#include "md-results-page.h"
#include "md-welcome-page.h"
#include "md-window-private.h"

G_DEFINE_FINAL_TYPE (MdWindow, md_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define PAGE_WELCOME  "welcome"
#define PAGE_ACCOUNT  "account"
#define PAGE_CHECKING "checking"
#define PAGE_RESULTS  "results"
#define PAGE_FIX      "fix"
#define PAGE_DONE     "done"

void
_md_window_toast (MdWindow   *self,
                  const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* Navigation: a history of the pages before the one in view */

static void
update_actions (MdWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_report = self->report != NULL;
  gboolean live = self->diagnosis != NULL && !self->read_only && !self->running;
  guint n_fixes = has_report ? g_list_model_get_n_items (md_report_get_fixes (self->report)) : 0;

  gtk_widget_action_set_enabled (widget, "win.check",
                                 md_account_page_get_valid (self->account_page) &&
                                 !self->running);
  gtk_widget_action_set_enabled (widget, "win.cancel", self->running);
  gtk_widget_action_set_enabled (widget, "win.back", self->history->len > 0);
  gtk_widget_action_set_enabled (widget, "win.save-report", has_report);
  gtk_widget_action_set_enabled (widget, "win.copy-for-provider", has_report);
  gtk_widget_action_set_enabled (widget, "win.fix", n_fixes > 0);
  gtk_widget_action_set_enabled (widget, "win.done", has_report);
  gtk_widget_action_set_enabled (widget, "win.check-again", live && !self->rechecking);
  gtk_widget_action_set_enabled (widget, "win.watch", live && !self->rechecking);

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), self->history->len > 0);
}

static void
show_page (MdWindow   *self,
           const char *name)
{
  GtkWidget *page;
  const char *title;

  gtk_stack_set_visible_child_name (self->stack, name);
  page = gtk_stack_get_visible_child (self->stack);
  title = md_page_get_title (MD_PAGE (page));

  adw_window_title_set_title (self->window_title, title != NULL ? title : _("Mail Doctor"));
  update_actions (self);
  md_page_shown (MD_PAGE (page));
}

static void
go_forward (MdWindow   *self,
            const char *name)
{
  const char *current = md_window_get_page (self);

  if (g_strcmp0 (current, name) == 0)
    return;

  /* The page names are static strings. */
  g_ptr_array_add (self->history, (gpointer)current);
  show_page (self, name);
}

static void
go_back (MdWindow *self)
{
  const char *previous;

  if (self->history->len == 0)
    return;

  previous = g_ptr_array_steal_index (self->history, self->history->len - 1);
  show_page (self, previous);
}

/* The report on show */

void
_md_window_set_report (MdWindow *self,
                       MdReport *report,
                       gboolean  read_only)
{
  g_set_object (&self->report, report);
  self->read_only = read_only;
  update_actions (self);

  /* The pages keep the last report until the next one: nobody sees them
   * in between. */
  if (report == NULL)
    return;

  md_results_page_set_report (self->results_page, report, read_only);
  md_fix_page_set_report (self->fix_page, report, read_only);
  md_done_page_set_report (self->done_page, report, read_only);
}

/* Shows an opened report: a helpdesk's view, with nothing to check. */
void
_md_window_show_opened_report (MdWindow *self,
                               MdReport *report)
{
  _md_window_stop_run (self);
  g_clear_object (&self->diagnosis);
  _md_window_set_report (self, report, TRUE);

  g_ptr_array_set_size (self->history, 0);
  g_ptr_array_add (self->history, (gpointer)PAGE_WELCOME);
  show_page (self, PAGE_RESULTS);
}

/**
 * md_window_show_diagnosis:
 *
 * Shows the results of @diagnosis, a run that finished elsewhere (the
 * watch's), as the window's own: Check again then checks it again.
 */
void
md_window_show_diagnosis (MdWindow    *self,
                          MdDiagnosis *diagnosis)
{
  g_autoptr(MdReport) report = NULL;

  g_return_if_fail (MD_IS_WINDOW (self));
  g_return_if_fail (MD_IS_DIAGNOSIS (diagnosis));

  _md_window_stop_run (self);
  g_set_object (&self->diagnosis, diagnosis);
  report = md_report_new_from_diagnosis (diagnosis);
  _md_window_set_report (self, report, FALSE);

  g_ptr_array_set_size (self->history, 0);
  g_ptr_array_add (self->history, (gpointer)PAGE_WELCOME);
  g_ptr_array_add (self->history, (gpointer)PAGE_ACCOUNT);
  show_page (self, PAGE_RESULTS);
}

/* The run */

/* Stops whatever checks are in flight; their callbacks find they are
 * no longer wanted and return. */
void
_md_window_stop_run (MdWindow *self)
{
  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  md_checking_page_set_diagnosis (self->checking_page, NULL);

  if (self->rechecking)
    md_fix_page_set_checking (self->fix_page, FALSE);

  self->running = FALSE;
  self->rechecking = FALSE;
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(MdWindow) self = user_data;
  MdDiagnosis *diagnosis = MD_DIAGNOSIS (source);
  g_autoptr(MdReport) report = NULL;
  g_autoptr(GError) error = NULL;

  md_diagnosis_run_finish (diagnosis, result, &error);

  /* Cancelled, or replaced by a newer run: nothing to show. */
  if (diagnosis != self->diagnosis || !self->running)
    return;

  md_checking_page_finish (self->checking_page);
  self->running = FALSE;
  g_clear_object (&self->run_cancellable);

  if (error != NULL)
    {
      g_debug ("The run failed: %s", error->message);
      g_clear_object (&self->diagnosis);
      _md_window_toast (self, _("The check could not run. Please try again."));
      go_back (self);
      return;
    }

  report = md_report_new_from_diagnosis (diagnosis);
  _md_window_set_report (self, report, FALSE);
  /* In place of the checking page, which Back does not return to. */
  show_page (self, PAGE_RESULTS);
}

static void
start_run (MdWindow  *self,
           MdAccount *account)
{
  _md_window_stop_run (self);
  g_clear_object (&self->diagnosis);
  _md_window_set_report (self, NULL, FALSE);

  self->diagnosis = md_diagnosis_new (account);
  self->run_cancellable = g_cancellable_new ();
  self->running = TRUE;

  md_checking_page_set_diagnosis (self->checking_page, self->diagnosis);
  go_forward (self, PAGE_CHECKING);

  md_diagnosis_run_async (self->diagnosis, self->run_cancellable, run_cb, g_object_ref (self));
}

/* One watch at a time, of the settings last checked: a new check ends the
 * old watch, and says so, so that no notification speaks of a server the
 * user has moved on from. */
static void
stop_watch_for_new_check (MdWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  MdAccount *watched;
  g_autofree char *text = NULL;

  if (!MD_IS_APPLICATION (app) || !md_application_get_watching (MD_APPLICATION (app)))
    return;

  watched = md_application_get_watched_account (MD_APPLICATION (app));
  /* Translators: %s is the mail server, like smtp.example.org. */
  text = g_strdup_printf (_("Mail Doctor stopped watching %s: you started a new check"),
                          md_account_get_host (watched));
  md_application_stop_watch (MD_APPLICATION (app));
  _md_window_toast (self, text);
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MdWindow *self = MD_WINDOW (widget);
  g_autoptr(MdAccount) account = NULL;
  g_autofree char *error_text = NULL;

  if (!md_account_page_get_valid (self->account_page) || self->running)
    return;

  account = md_account_page_dup_account (self->account_page);
  error_text = md_welcome_page_dup_error_text (self->welcome_page);
  md_account_set_error_text (account, error_text);
  stop_watch_for_new_check (self);

  /* Remembered before the run, so that a crash mid-check loses nothing. */
  md_account_page_remember (self->account_page, account);
  start_run (self, account);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MdWindow *self = MD_WINDOW (widget);

  if (!self->running)
    return;

  _md_window_stop_run (self);
  g_clear_object (&self->diagnosis);
  go_back (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MdWindow *self = MD_WINDOW (widget);

  /* Leaving the checking page stops the checks, as Cancel does. On the fix
   * page, back is the fix before, then the results: one back button, one
   * meaning. */
  if (self->running)
    cancel_action (widget, "win.cancel", NULL);
  else if (g_strcmp0 (md_window_get_page (self), PAGE_FIX) != 0 ||
           !md_fix_page_go_back (self->fix_page))
    go_back (self);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  go_forward (MD_WINDOW (widget), PAGE_ACCOUNT);
}

static void
fix_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  go_forward (MD_WINDOW (widget), PAGE_FIX);
}

static void
done_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MdWindow *self = MD_WINDOW (widget);

  /* The summary says what was tried, and how the last try went. */
  md_done_page_set_progress (self->done_page, md_fix_page_get_n_tried (self->fix_page),
                             md_fix_page_get_last_check (self->fix_page));
  go_forward (self, PAGE_DONE);
}

/* Check again */

/* A later result of the same run (Check again, or the watch that worked):
 * the results and the summary follow it; the fix page keeps its place in
 * the plan, and the summary what the run found first. */
static void
follow_run (MdWindow    *self,
            MdDiagnosis *diagnosis)
{
  g_autoptr(MdReport) report = md_report_new_from_diagnosis (diagnosis);

  g_set_object (&self->diagnosis, diagnosis);
  g_set_object (&self->report, report);
  md_results_page_set_report (self->results_page, report, FALSE);
  md_done_page_follow_report (self->done_page, report);
  update_actions (self);
}

static void
recheck_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(MdWindow) self = user_data;
  MdDiagnosis *diagnosis = MD_DIAGNOSIS (source);
  g_autoptr(MdCheck) check = NULL;
  g_autoptr(GError) error = NULL;

  check = md_diagnosis_recheck_finish (diagnosis, result, &error);

  if (diagnosis != self->diagnosis || !self->rechecking)
    return;

  self->rechecking = FALSE;
  g_clear_object (&self->run_cancellable);
  md_fix_page_set_checking (self->fix_page, FALSE);

  if (check == NULL)
    {
      g_debug ("Check again failed: %s", error->message);
      _md_window_toast (self, _("We could not check again. Please try again."));
      update_actions (self);
      return;
    }

  md_fix_page_show_check (self->fix_page, check);
  follow_run (self, diagnosis);
}

static void
check_again_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MdWindow *self = MD_WINDOW (widget);
  MdCheckId id;

  if (!md_check_id_from_string (g_variant_get_string (parameter, NULL), &id) ||
      self->diagnosis == NULL || self->running || self->rechecking)
    return;

  self->rechecking = TRUE;
  self->run_cancellable = g_cancellable_new ();
  md_fix_page_set_checking (self->fix_page, TRUE);
  update_actions (self);

  md_diagnosis_recheck_async (self->diagnosis, id, self->run_cancellable,
                              recheck_cb, g_object_ref (self));
}

/* Watch mode */

/* Waiting changes neither the settings nor the pasted message. */
static gboolean
can_change (MdCheckId id)
{
  return id != MD_CHECK_INPUT && id != MD_CHECK_ERROR_TEXT;
}

/* The check to watch: the one behind the most important finding, else
 * the first that failed. */
static MdCheckId
check_to_watch (MdWindow *self)
{
  GListModel *findings = md_report_get_findings (self->report);
  GListModel *checks = md_report_get_checks (self->report);
  MdCheckId id;

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(MdFinding) finding = g_list_model_get_item (findings, i);
      const char * const *ids = md_finding_get_checks (finding);

      for (guint j = 0; ids[j] != NULL; j++)
        if (md_check_id_from_string (ids[j], &id) && can_change (id))
          return id;
    }

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (checks, i);

      if (md_check_get_status (check) == MD_CHECK_STATUS_FAIL &&
          can_change (md_check_get_id (check)))
        return md_check_get_id (check);
    }

  /* Nothing failed: whether the server greets us is what "works" means. */
  return MD_CHECK_SMTP_GREETING;
}

static void
watch_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MdWindow *self = MD_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (!MD_IS_APPLICATION (app) || self->diagnosis == NULL || self->report == NULL)
    return;

  if (md_application_get_watching (MD_APPLICATION (app)))
    md_application_stop_watch (MD_APPLICATION (app));
  else
    md_application_start_watch (MD_APPLICATION (app), self->diagnosis,
                                check_to_watch (self));
}

/* The watch worked: the pages follow its run, so that none says "still
 * stuck" under the notification that says it works. Only a window showing
 * the watched account's own run (not an opened report) follows. */
static void
follow_watch (MdWindow      *self,
              MdApplication *app)
{
  MdDiagnosis *worked = md_application_get_watch_worked (app);

  if (worked == NULL || self->diagnosis == NULL || self->read_only || self->running ||
      self->rechecking ||
      /* The watch's run shares the account of the run it started from. */
      md_diagnosis_get_account (worked) != md_diagnosis_get_account (self->diagnosis))
    return;

  follow_run (self, worked);
}

static void
on_watching_cb (MdWindow      *self,
                GParamSpec    *pspec,
                MdApplication *app)
{
  md_done_page_set_watching (self->done_page, md_application_get_watching (app));
  if (!md_application_get_watching (app))
    follow_watch (self, app);
  update_actions (self);
}

/* The summary says which server is watched and how the last try went. */
static void
on_watch_updated_cb (MdWindow      *self,
                     MdApplication *app)
{
  md_done_page_set_watch_status (self->done_page,
                                 md_application_get_watched_account (app),
                                 md_application_get_watch_last (app),
                                 md_application_get_watch_last_time (app),
                                 md_application_get_watch_next_time (app));
}

/* GtkWindow:application is not a construct property: g_object_new() sets it
 * after constructed(), so the window starts following watch mode here. */
static void
on_application_cb (MdWindow   *self,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  /* Disposed: the pages are gone already. */
  if (self->app_signals == NULL)
    return;

  if (!MD_IS_APPLICATION (app))
    app = NULL;

  g_signal_group_set_target (self->app_signals, app);
  md_done_page_set_watching (self->done_page,
                             app != NULL && md_application_get_watching (MD_APPLICATION (app)));
}

static void
on_account_page_valid_cb (MdWindow      *self,
                          GParamSpec    *pspec,
                          MdAccountPage *page)
{
  g_assert (MD_IS_WINDOW (self));

  update_actions (self);
}

/* GObject */

static gboolean
md_window_close_request (GtkWindow *window)
{
  MdWindow *self = MD_WINDOW (window);
  int width, height;

  /* Closing stops everything in flight; watch mode is the application's. */
  _md_window_stop_run (self);
  g_cancellable_cancel (self->cancellable);

  gtk_window_get_default_size (window, &width, &height);
  md_settings_set_window_state (self->settings, width, height,
                                gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (md_window_parent_class)->close_request (window);
}

static void
md_window_constructed (GObject *object)
{
  MdWindow *self = (MdWindow *)object;
  int width, height;
  gboolean maximized;

  G_OBJECT_CLASS (md_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = md_settings_new ();

  md_settings_get_window_state (self->settings, &width, &height, &maximized);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (maximized)
    gtk_window_maximize (GTK_WINDOW (self));

  md_account_page_set_settings (self->account_page, self->settings);
  /* The steps open for the mail program the user picked last time. */
  g_object_bind_property (self->settings, "mail-program", self->fix_page, "mail-program",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  show_page (self, PAGE_WELCOME);
}

static void
md_window_dispose (GObject *object)
{
  MdWindow *self = (MdWindow *)object;

  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  g_clear_object (&self->diagnosis);
  g_clear_object (&self->report);
  g_clear_object (&self->settings);
  g_clear_object (&self->app_signals);

  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_WINDOW);

  G_OBJECT_CLASS (md_window_parent_class)->dispose (object);
}

static void
md_window_finalize (GObject *object)
{
  MdWindow *self = (MdWindow *)object;

  g_clear_pointer (&self->history, g_ptr_array_unref);

  G_OBJECT_CLASS (md_window_parent_class)->finalize (object);
}

static void
md_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MdWindow *self = MD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  MdWindow *self = MD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "win.check", NULL, check_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.fix", NULL, fix_action);
  gtk_widget_class_install_action (widget_class, "win.done", NULL, done_action);
  gtk_widget_class_install_action (widget_class, "win.check-again", "s", check_again_action);
  gtk_widget_class_install_action (widget_class, "win.watch", NULL, watch_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, _md_window_open_action);
  gtk_widget_class_install_action (widget_class, "win.save-report", NULL,
                                   _md_window_save_action);
  gtk_widget_class_install_action (widget_class, "win.copy-for-provider", NULL,
                                   _md_window_copy_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.save-report", NULL);
}

static void
md_window_class_init (MdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = md_window_constructed;
  object_class->dispose = md_window_dispose;
  object_class->finalize = md_window_finalize;
  object_class->get_property = md_window_get_property;
  object_class->set_property = md_window_set_property;
  window_class->close_request = md_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, MD_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The pages the template names. */
  g_type_ensure (MD_TYPE_WELCOME_PAGE);
  g_type_ensure (MD_TYPE_ACCOUNT_PAGE);
  g_type_ensure (MD_TYPE_CHECKING_PAGE);
  g_type_ensure (MD_TYPE_RESULTS_PAGE);
  g_type_ensure (MD_TYPE_FIX_PAGE);
  g_type_ensure (MD_TYPE_DONE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/md-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MdWindow, account_page);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, checking_page);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, done_page);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, fix_page);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, results_page);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, window_title);
  gtk_widget_class_bind_template_callback (widget_class, on_account_page_valid_cb);

  install_actions (widget_class);
}

static void
md_window_init (MdWindow *self)
{
  self->history = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->app_signals = g_signal_group_new (MD_TYPE_APPLICATION);
  g_signal_group_connect_object (self->app_signals, "notify::watching",
                                 G_CALLBACK (on_watching_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->app_signals, "watch-updated",
                                 G_CALLBACK (on_watch_updated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_cb), NULL);

  /* The striped header bar tells a development build apart. */
  if (g_str_has_suffix (APP_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

const char *
md_window_get_page (MdWindow *self)
{
  g_return_val_if_fail (MD_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

MdReport *
md_window_get_report (MdWindow *self)
{
  g_return_val_if_fail (MD_IS_WINDOW (self), NULL);

  return self->report;
}

gboolean
md_window_get_read_only (MdWindow *self)
{
  g_return_val_if_fail (MD_IS_WINDOW (self), FALSE);

  return self->read_only;
}
