/* md-application.c: the wizard's application, and watch mode
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Watch mode ("Tell me when it works") lives here rather than in a window:
 * the user is told they may close the window, so the application holds
 * itself alive while the watch runs and says when the server takes mail
 * again with a desktop notification.
 */

#include "md-config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>

#include "md-application.h"
#include "md-build-ident.h"
#include "md-report.h"
#include "md-watch.h"
#include "md-window.h"

#define WATCH_NOTIFICATION_ID "watch"

struct _MdApplication
{
  AdwApplication  parent_instance;

  MdSettings     *settings;
  MdWatch        *watch;
  GCancellable   *watch_cancellable;
  /* The watched diagnosis, and how its last try went. */
  MdDiagnosis    *watched;
  MdCheck        *watch_last;
  GDateTime      *watch_last_time;
  GDateTime      *watch_next_time;
  /* Whether the watched diagnosis is the run that worked, which the
   * notification's click shows. */
  gboolean        worked;
};

G_DEFINE_FINAL_TYPE (MdApplication, md_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_WATCHING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  WATCH_UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static MdWindow *
new_window (MdApplication *self)
{
  return g_object_new (MD_TYPE_WINDOW,
                       "application", self,
                       "settings", md_application_get_settings (self),
                       NULL);
}

static void
md_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (new_window (MD_APPLICATION (app)));

  gtk_window_present (window);
}

/* Each report on the command line opens read-only in a window of its own,
 * as a helpdesk compares them. */
static void
md_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      MdWindow *window = new_window (MD_APPLICATION (app));

      md_window_open_file (window, files[i]);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  MdApplication *self = user_data;

  /* Quitting is a decision to stop watching too. */
  md_application_stop_watch (self);
  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { _("The Mail Doctor authors"), NULL };
  /* The commit a development build was made from, when it differs. */
  g_autofree char *version = g_strcmp0 (MD_BUILD_IDENTIFIER, PACKAGE_VERSION) == 0
                             ? g_strdup (PACKAGE_VERSION)
                             : g_strdup_printf ("%s (%s)", PACKAGE_VERSION, MD_BUILD_IDENTIFIER);

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Mail Doctor"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Mail Doctor authors"),
                         "developers", developers,
                         "version", version,
                         "comments", _("Find out why your email will not send, and fix it "
                                       "one step at a time."),
                         "website", "https://github.com/maildoctor/mail-doctor",
                         "issue-url", "https://github.com/maildoctor/mail-doctor/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", _("© 2026 The Mail Doctor authors"),
                         /* Translators: your names, one per line. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

/* GTK builds the shortcuts window from gtk/help-overlay.ui and gives every
 * window "win.show-help-overlay" with Ctrl+?; the menu's app.shortcuts
 * opens it for the window in front. */
static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

/* Where the run that worked waits for the notification's click when the
 * app has exited meanwhile (it does, once it told and no window is open). */
static GFile *
worked_report_file (void)
{
  g_autofree char *path = g_build_filename (g_get_user_state_dir (), "mail-doctor",
                                            "watch-worked.json", NULL);

  return g_file_new_for_path (path);
}

/* Kept readable by its owner only, like every saved report. Written at
 * once, not asynchronously: with no window open the app exits as soon as
 * the watch ends, and a write still pending then would be lost. It is a
 * few kilobytes, once per watch. */
static void
keep_worked_report (MdApplication *self)
{
  g_autoptr(MdReport) report = md_report_new_from_diagnosis (self->watched);
  g_autofree char *json = md_report_to_json (report);
  g_autoptr(GFile) file = worked_report_file ();
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *directory = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (directory, 0700) != 0 ||
      !g_file_set_contents_full (path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Could not keep the run that worked: %s",
             error != NULL ? error->message : g_strerror (errno));
}

static void
forget_worked_report (void)
{
  g_autoptr(GFile) file = worked_report_file ();

  g_file_delete (file, NULL, NULL);
}

/* The notification's click: the results of the run that worked, in a
 * window (a new one when the user closed them all). In a process the
 * click started, they come from the report kept when it worked. */
static void
show_watch_results_action (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  MdApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GFile) kept = worked_report_file ();

  if (window == NULL)
    window = GTK_WINDOW (new_window (self));
  if (self->worked && self->watched != NULL)
    md_window_show_diagnosis (MD_WINDOW (window), self->watched);
  else if (g_file_query_exists (kept, NULL))
    md_window_open_file (MD_WINDOW (window), kept);
  gtk_window_present (window);
}

static const GActionEntry app_entries[] = {
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  { "show-watch-results", show_watch_results_action, NULL, NULL, NULL, { 0 } },
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "shortcuts", shortcuts_action, NULL, NULL, NULL, { 0 } },
};

static void
md_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (md_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries,
                                   G_N_ELEMENTS (app_entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
}

static void
md_application_dispose (GObject *object)
{
  MdApplication *self = (MdApplication *)object;

  g_cancellable_cancel (self->watch_cancellable);
  g_clear_object (&self->watch_cancellable);
  g_clear_object (&self->watch);
  g_clear_object (&self->watched);
  g_clear_object (&self->watch_last);
  g_clear_pointer (&self->watch_last_time, g_date_time_unref);
  g_clear_pointer (&self->watch_next_time, g_date_time_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (md_application_parent_class)->dispose (object);
}

static void
md_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MdApplication *self = MD_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_WATCHING:
      g_value_set_boolean (value, md_application_get_watching (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* --version answers at once, in this process, without a window or the
 * bus: what a packager or a helpdesk asks first. */
static int
md_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "mail-doctor",
               g_strcmp0 (MD_BUILD_IDENTIFIER, PACKAGE_VERSION) == 0
               ? PACKAGE_VERSION : PACKAGE_VERSION " (" MD_BUILD_IDENTIFIER ")");
      return 0;
    }

  return -1;
}

static void
md_application_class_init (MdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = md_application_dispose;
  object_class->get_property = md_application_get_property;
  app_class->activate = md_application_activate;
  app_class->handle_local_options = md_application_handle_local_options;
  app_class->open = md_application_open;
  app_class->startup = md_application_startup;

  properties[PROP_WATCHING] =
    g_param_spec_boolean ("watching", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MdApplication::watch-updated:
   *
   * The watch started, tried again or ended: what the getters say changed.
   */
  signals[WATCH_UPDATED] =
    g_signal_new ("watch-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
md_application_init (MdApplication *self)
{
  g_application_add_main_option (G_APPLICATION (self), "version", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE, _("Show the version and quit"), NULL);
}

MdApplication *
md_application_new (void)
{
  /* The development build has its own ID but shares the resources, whose
   * path GTK would otherwise derive from the ID. */
  return g_object_new (MD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/**
 * md_application_get_settings:
 *
 * Returns: (transfer none): the remembered settings, read on first use
 */
MdSettings *
md_application_get_settings (MdApplication *self)
{
  g_return_val_if_fail (MD_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = md_settings_new ();

  return self->settings;
}

/* Watch mode */

static void
notify_works (MdApplication *self)
{
  g_autoptr(GNotification) notification = g_notification_new (_("Your email works again"));
  MdAccount *account = md_diagnosis_get_account (self->watched);
  g_autofree char *body = NULL;

  /* Translators: %s is the mail server, like smtp.example.org; %u its port. */
  body = g_strdup_printf (_("%s (port %u) accepts mail again. Send your messages from your "
                            "mail program now."),
                          md_account_get_host (account), md_account_get_effective_port (account));
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action (notification, "app.show-watch-results");
  g_application_send_notification (G_APPLICATION (self), WATCH_NOTIFICATION_ID, notification);
}

static void
notify_stopped (MdApplication *self,
                const GError  *error)
{
  g_autoptr(GNotification) notification = g_notification_new (_("Mail Doctor stopped watching"));

  /* The reason is technical; the user needs to know what to do. */
  g_debug ("Watch mode ended: %s", error->message);
  g_notification_set_body (notification,
                           _("The check could not run any more. Open Mail Doctor and check "
                             "your settings again."));
  g_application_send_notification (G_APPLICATION (self), WATCH_NOTIFICATION_ID, notification);
}

static void
end_watch (MdApplication *self)
{
  g_clear_object (&self->watch);
  g_clear_object (&self->watch_cancellable);
  g_clear_pointer (&self->watch_next_time, g_date_time_unref);
  g_application_release (G_APPLICATION (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WATCHING]);
  g_signal_emit (self, signals[WATCH_UPDATED], 0);
}

static void
on_attempt_finished (MdWatch       *watch,
                     MdCheck       *check,
                     guint          next_delay_ms,
                     MdApplication *self)
{
  g_set_object (&self->watch_last, check);
  g_clear_pointer (&self->watch_last_time, g_date_time_unref);
  self->watch_last_time = g_date_time_new_now_local ();
  g_clear_pointer (&self->watch_next_time, g_date_time_unref);
  if (next_delay_ms > 0)
    self->watch_next_time = g_date_time_add_seconds (self->watch_last_time,
                                                     (next_delay_ms + 999) / 1000);
  g_signal_emit (self, signals[WATCH_UPDATED], 0);
}

static void
watch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(MdApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  md_watch_run_finish (MD_WATCH (source), result, &error);

  /* A stopped watch was already ended by whoever stopped it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The done page follows "watching"; the user may have closed it, so
   * the end is told in a notification either way. */
  if (error == NULL)
    {
      self->worked = TRUE;
      keep_worked_report (self);
      notify_works (self);
    }
  else
    notify_stopped (self, error);

  if (self->watch == MD_WATCH (source))
    end_watch (self);
}

void
md_application_start_watch (MdApplication *self,
                            MdDiagnosis   *diagnosis,
                            MdCheckId      check)
{
  g_autoptr(MdDiagnosis) watched = NULL;

  g_return_if_fail (MD_IS_APPLICATION (self));
  g_return_if_fail (MD_IS_DIAGNOSIS (diagnosis));

  md_application_stop_watch (self);

  /* A diagnosis of its own: the window's stays free for Check again, and a
   * watch stopped a moment ago cannot be in the way of a new one. */
  watched = md_diagnosis_new (md_diagnosis_get_account (diagnosis));
  md_diagnosis_set_timeout_ms (watched, md_diagnosis_get_timeout_ms (diagnosis));
  g_set_object (&self->watched, watched);
  self->worked = FALSE;
  forget_worked_report ();
  g_clear_object (&self->watch_last);
  g_clear_pointer (&self->watch_last_time, g_date_time_unref);
  g_clear_pointer (&self->watch_next_time, g_date_time_unref);
  self->watch = md_watch_new (watched, check);
  g_signal_connect_object (self->watch, "attempt-finished", G_CALLBACK (on_attempt_finished),
                           self, G_CONNECT_DEFAULT);
  self->watch_cancellable = g_cancellable_new ();
  g_application_hold (G_APPLICATION (self));
  g_application_withdraw_notification (G_APPLICATION (self), WATCH_NOTIFICATION_ID);

  md_watch_run_async (self->watch, self->watch_cancellable, watch_cb, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WATCHING]);
  g_signal_emit (self, signals[WATCH_UPDATED], 0);
}

void
md_application_stop_watch (MdApplication *self)
{
  g_return_if_fail (MD_IS_APPLICATION (self));

  if (self->watch == NULL)
    return;

  g_cancellable_cancel (self->watch_cancellable);
  end_watch (self);
}

gboolean
md_application_get_watching (MdApplication *self)
{
  g_return_val_if_fail (MD_IS_APPLICATION (self), FALSE);

  return self->watch != NULL;
}

MdAccount *
md_application_get_watched_account (MdApplication *self)
{
  g_return_val_if_fail (MD_IS_APPLICATION (self), NULL);

  return self->watched != NULL ? md_diagnosis_get_account (self->watched) : NULL;
}

MdCheck *
md_application_get_watch_last (MdApplication *self)
{
  g_return_val_if_fail (MD_IS_APPLICATION (self), NULL);

  return self->watch_last;
}

GDateTime *
md_application_get_watch_last_time (MdApplication *self)
{
  g_return_val_if_fail (MD_IS_APPLICATION (self), NULL);

  return self->watch_last_time;
}

GDateTime *
md_application_get_watch_next_time (MdApplication *self)
{
  g_return_val_if_fail (MD_IS_APPLICATION (self), NULL);

  return self->watch_next_time;
}

MdDiagnosis *
md_application_get_watch_worked (MdApplication *self)
{
  g_return_val_if_fail (MD_IS_APPLICATION (self), NULL);

  return self->worked ? self->watched : NULL;
}
