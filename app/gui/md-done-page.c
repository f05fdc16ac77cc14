/* md-done-page.c: where the user stands at the end, and what is left
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The last page either confirms that mail goes out again, or admits that
 * it does not and offers the three ways on: wait and be told, hand the
 * evidence to the provider, or keep the report.
 */

#include "md-config.h"

#include <glib/gi18n.h>

#include "md-done-page.h"
#include "md-finding.h"
#include "md-result-row.h"

struct _MdDonePage
{
  MdPage          parent_instance;

  MdReport       *report;
  /* The cause the run found, before any Check again: said in the past
   * once the newest report works. NULL when the run found none. */
  char           *first_found;
  /* The run's fix steps: a report after a fix that worked has none. */
  guint           n_steps;
  MdCheck        *last_check;
  guint           n_tried;
  /* Whether the window said how the fix steps went, for this report. */
  gboolean        has_progress;
  gboolean        read_only;
  gboolean        watching;

  AdwActionRow   *found_row;
  GtkWidget      *latest_row;
  AdwStatusPage  *status_page;
  GtkListBox     *summary_list;
  AdwActionRow   *tried_row;
  GtkButton      *watch_button;
  GtkWidget      *check_button;
  GtkWidget      *settings_button;
  GtkWidget      *watching_box;
  GtkSpinner     *watching_spinner;
  GtkLabel       *watch_status_label;
};

G_DEFINE_FINAL_TYPE (MdDonePage, md_done_page, MD_TYPE_PAGE)

static void
md_done_page_dispose (GObject *object)
{
  MdDonePage *self = (MdDonePage *)object;

  self->latest_row = NULL;
  g_clear_object (&self->report);
  g_clear_pointer (&self->first_found, g_free);
  g_clear_object (&self->last_check);

  G_OBJECT_CLASS (md_done_page_parent_class)->dispose (object);
}

/* The way on that fits: watching while mail is still stuck, otherwise
 * keeping the report. */
static void
md_done_page_shown (MdPage *page)
{
  MdDonePage *self = MD_DONE_PAGE (page);

  if (gtk_widget_get_visible (GTK_WIDGET (self->watch_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->watch_button));
  else
    MD_PAGE_CLASS (md_done_page_parent_class)->shown (page);
}

static void
md_done_page_class_init (MdDonePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MdPageClass *page_class = MD_PAGE_CLASS (klass);

  object_class->dispose = md_done_page_dispose;
  page_class->shown = md_done_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/md-done-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MdDonePage, found_row);
  gtk_widget_class_bind_template_child (widget_class, MdDonePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, MdDonePage, summary_list);
  gtk_widget_class_bind_template_child (widget_class, MdDonePage, tried_row);
  gtk_widget_class_bind_template_child (widget_class, MdDonePage, watch_button);
  gtk_widget_class_bind_template_child (widget_class, MdDonePage, check_button);
  gtk_widget_class_bind_template_child (widget_class, MdDonePage, settings_button);
  gtk_widget_class_bind_template_child (widget_class, MdDonePage, watching_box);
  gtk_widget_class_bind_template_child (widget_class, MdDonePage, watching_spinner);
  gtk_widget_class_bind_template_child (widget_class, MdDonePage, watch_status_label);
}

static void
md_done_page_init (MdDonePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  md_page_set_title (MD_PAGE (self), C_("page title", "Summary"));
}

/* The verdict of the newest report decides: after *Check again* the
 * window passes the report that followed it, so one passing step never
 * says "it works" beside a cause that still stands. */
static gboolean
is_working (MdDonePage *self)
{
  return md_verdict_get_state (md_report_get_verdict (self->report)) ==
         MD_VERDICT_STATE_WORKS_NOW;
}

static void
show_outcome (MdDonePage *self)
{
  if (is_working (self))
    {
      adw_status_page_set_icon_name (self->status_page, "emblem-ok-symbolic");
      adw_status_page_set_title (self->status_page, _("Your mail should go out again"));
      adw_status_page_set_description (
        self->status_page, _("If a message still waits in your outbox, send it again."));
      return;
    }

  adw_status_page_set_icon_name (self->status_page, "dialog-warning-symbolic");
  adw_status_page_set_title (self->status_page, _("Still stuck?"));
  if (self->read_only)
    adw_status_page_set_description (self->status_page,
      _("Send the mail provider what Mail Doctor found: it can see what its server does."));
  else if (md_verdict_get_can_wait (md_report_get_verdict (self->report)))
    adw_status_page_set_description (self->status_page,
      _("It may be on your provider’s side. Mail Doctor can keep checking and tell you when it "
        "works, and you can send your provider what it found."));
  else
    adw_status_page_set_description (self->status_page,
      _("Waiting will not fix this. Change your settings and check again; if that does not "
        "help, send your provider what Mail Doctor found."));
}

/* The verdict, once: never a cause it set aside. Once a fix worked, what
 * was found is said in the past, beside "should go out again". */
static void
show_found (MdDonePage *self)
{
  MdVerdict *verdict = md_report_get_verdict (self->report);

  if (!is_working (self))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->found_row), _("What we found"));
      adw_action_row_set_subtitle (self->found_row, md_verdict_get_title (verdict));
    }
  else if (self->first_found != NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->found_row),
                                     _("What we found before the fix"));
      adw_action_row_set_subtitle (self->found_row, self->first_found);
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->found_row), _("What we found"));
      adw_action_row_set_subtitle (self->found_row, _("No problems"));
    }
}

static void
show_tried (MdDonePage *self)
{
  guint n_steps = self->n_steps;
  g_autofree char *text = NULL;

  if (self->n_tried == 0)
    text = g_strdup (_("You have not used Check again yet"));
  else
    /* Translators: "You tried Check again on 2 of 4 steps". */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "You tried Check again on %u of %u step",
                                         "You tried Check again on %u of %u steps", n_steps),
                            self->n_tried, n_steps);
  adw_action_row_set_subtitle (self->tried_row, text);
  gtk_widget_set_visible (GTK_WIDGET (self->tried_row),
                          self->has_progress && !self->read_only && n_steps > 0);
}

static GtkWidget *
new_latest_row (MdDonePage *self)
{
  guint n_failed = md_report_count_status (self->report, MD_CHECK_STATUS_FAIL);
  g_autofree char *title = NULL;

  if (self->last_check != NULL)
    return md_result_row_new (md_check_get_status (self->last_check),
                              md_check_get_summary (self->last_check),
                              _("The newest result of Check again"));

  if (n_failed == 0)
    return md_result_row_new (MD_CHECK_STATUS_PASS, _("All checks pass"), NULL);

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u check fails",
                                        "%u checks fail", n_failed), n_failed);

  return md_result_row_new (MD_CHECK_STATUS_FAIL, title, NULL);
}

static void
show_latest (MdDonePage *self)
{
  if (self->latest_row != NULL)
    gtk_list_box_remove (self->summary_list, self->latest_row);

  self->latest_row = new_latest_row (self);
  /* Like the other rows of the summary, text to read. */
  gtk_widget_set_focusable (self->latest_row, FALSE);
  gtk_list_box_append (self->summary_list, self->latest_row);
}

static void
show_watch (MdDonePage *self)
{
  gboolean can_wait = md_verdict_get_can_wait (md_report_get_verdict (self->report));

  gtk_widget_set_visible (GTK_WIDGET (self->watch_button),
                          !self->read_only &&
                          (self->watching || (!is_working (self) && can_wait)));
  /* Checking again needs the account itself, which an opened report lacks. */
  gtk_widget_set_visible (self->check_button, !self->read_only && !self->watching);
  gtk_widget_set_visible (self->settings_button, !self->read_only && !self->watching);
  gtk_button_set_label (self->watch_button,
                        self->watching ? _("Stop watching") : _("Tell me when it works"));
  if (self->watching)
    gtk_widget_remove_css_class (GTK_WIDGET (self->watch_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->watch_button), "suggested-action");

  gtk_widget_set_visible (self->watching_box, self->watching);
  gtk_spinner_set_spinning (self->watching_spinner, self->watching);
}

static void
show_all (MdDonePage *self)
{
  if (self->report == NULL)
    return;

  show_outcome (self);
  show_found (self);
  show_tried (self);
  show_latest (self);
  show_watch (self);
}

/**
 * md_done_page_set_report:
 * @read_only: an opened report, which cannot be watched
 *
 * Sums up @report; the progress of the fix steps is reset.
 */
void
md_done_page_set_report (MdDonePage *self,
                         MdReport   *report,
                         gboolean    read_only)
{
  g_return_if_fail (MD_IS_DONE_PAGE (self));
  g_return_if_fail (MD_IS_REPORT (report));

  g_set_object (&self->report, report);
  g_clear_pointer (&self->first_found, g_free);
  if (md_verdict_get_state (md_report_get_verdict (report)) == MD_VERDICT_STATE_PROBLEM_FOUND)
    self->first_found = g_strdup (md_verdict_get_title (md_report_get_verdict (report)));
  self->n_steps = g_list_model_get_n_items (md_report_get_fixes (report));
  g_clear_object (&self->last_check);
  self->n_tried = 0;
  self->has_progress = FALSE;
  self->read_only = read_only;
  show_all (self);
}

/**
 * md_done_page_follow_report:
 *
 * Shows the report that followed a *Check again* of the same run: the page
 * follows its verdict and still knows what the run found first.
 */
void
md_done_page_follow_report (MdDonePage *self,
                            MdReport   *report)
{
  g_return_if_fail (MD_IS_DONE_PAGE (self));
  g_return_if_fail (MD_IS_REPORT (report));

  g_set_object (&self->report, report);
  show_all (self);
}

/**
 * md_done_page_set_progress:
 * @n_tried: how many fix steps the user checked again
 * @last_check: (nullable): the newest result of *Check again*
 *
 * Tells the page how the fix steps went (see md_fix_page_get_n_tried()
 * and md_fix_page_get_last_check()); call it after
 * md_done_page_set_report().
 */
void
md_done_page_set_progress (MdDonePage *self,
                           guint       n_tried,
                           MdCheck    *last_check)
{
  g_return_if_fail (MD_IS_DONE_PAGE (self));
  g_return_if_fail (last_check == NULL || MD_IS_CHECK (last_check));

  self->n_tried = n_tried;
  self->has_progress = TRUE;
  g_set_object (&self->last_check, last_check);
  show_all (self);
}

void
md_done_page_set_watching (MdDonePage *self,
                           gboolean    watching)
{
  g_return_if_fail (MD_IS_DONE_PAGE (self));

  self->watching = !!watching;
  if (self->report != NULL)
    show_watch (self);
}

gboolean
md_done_page_get_watching (MdDonePage *self)
{
  g_return_val_if_fail (MD_IS_DONE_PAGE (self), FALSE);

  return self->watching;
}

/* A time of day in the user's own format. */
static char *
format_time (GDateTime *time)
{
  return g_date_time_format (time, "%X");
}

/**
 * md_done_page_set_watch_status:
 * @account: (nullable): the watched account
 * @last: (nullable): the last try's result, NULL before the first
 * @next_time: (nullable): when the next try is, NULL when none is planned
 *
 * Says which server is watched, how the last try went and when the next
 * one is: a watch that says nothing looks stuck.
 */
void
md_done_page_set_watch_status (MdDonePage *self,
                               MdAccount  *account,
                               MdCheck    *last,
                               GDateTime  *last_time,
                               GDateTime  *next_time)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_if_fail (MD_IS_DONE_PAGE (self));

  if (account != NULL)
    /* Translators: %s is the mail server, like smtp.example.org; %u its port. */
    g_string_append_printf (text, _("Watching %s, port %u."), md_account_get_host (account),
                            md_account_get_effective_port (account));

  if (last != NULL && last_time != NULL)
    {
      g_autofree char *at = format_time (last_time);

      g_string_append_c (text, '\n');
      /* Translators: "Last try at 21:30:05: The server is too busy." */
      g_string_append_printf (text, _("Last try at %s: %s"), at, md_check_get_summary (last));
    }
  else if (account != NULL)
    {
      g_string_append_c (text, '\n');
      g_string_append (text, _("Trying now…"));
    }

  if (next_time != NULL)
    {
      g_autofree char *at = format_time (next_time);

      g_string_append_c (text, '\n');
      /* Translators: %s is a time of day, like 21:31:05. */
      g_string_append_printf (text, _("Next try at %s."), at);
    }

  gtk_label_set_text (self->watch_status_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->watch_status_label), text->len > 0);
}
