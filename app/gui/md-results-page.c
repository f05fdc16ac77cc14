/* md-results-page.c: what the check found, in plain words
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page answers one question first (does my mail work, and if not,
 * why), then offers the way forward, and keeps the evidence that a
 * helpdesk or an admin needs one click away below.
 */

#include "md-config.h"

#include <glib/gi18n.h>

#include "md-finding-row.h"
#include "md-result-row.h"
#include "md-results-page.h"

struct _MdResultsPage
{
  MdPage           parent_instance;

  MdReport        *report;
  /* The rows added to checks_row, so that a new report replaces them. */
  GPtrArray       *check_rows;

  AdwExpanderRow  *checks_row;
  GtkWidget       *findings_group;
  GtkListBox      *findings_list;
  GtkWidget       *fix_button;
  GtkWidget       *opened_box;
  GtkWidget       *save_button;
  AdwStatusPage   *status_page;
  AdwToastOverlay *toast_overlay;
  GtkWidget       *transcript_row;
  GtkTextView     *transcript_view;
};

G_DEFINE_FINAL_TYPE (MdResultsPage, md_results_page, MD_TYPE_PAGE)

static void
md_results_page_dispose (GObject *object)
{
  MdResultsPage *self = (MdResultsPage *)object;

  g_clear_pointer (&self->check_rows, g_ptr_array_unref);
  g_clear_object (&self->report);

  G_OBJECT_CLASS (md_results_page_parent_class)->dispose (object);
}

/* The user lands on the way forward: the fix steps when there are any. */
static void
md_results_page_shown (MdPage *page)
{
  MdResultsPage *self = MD_RESULTS_PAGE (page);

  if (gtk_widget_get_visible (self->fix_button))
    gtk_widget_grab_focus (self->fix_button);
  else
    gtk_widget_grab_focus (self->save_button);
}

static void
copy_transcript_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MdResultsPage *self = MD_RESULTS_PAGE (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->transcript_view);
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Conversation copied")));
}

static void
md_results_page_class_init (MdResultsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MdPageClass *page_class = MD_PAGE_CLASS (klass);

  object_class->dispose = md_results_page_dispose;
  page_class->shown = md_results_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/md-results-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MdResultsPage, checks_row);
  gtk_widget_class_bind_template_child (widget_class, MdResultsPage, findings_group);
  gtk_widget_class_bind_template_child (widget_class, MdResultsPage, findings_list);
  gtk_widget_class_bind_template_child (widget_class, MdResultsPage, fix_button);
  gtk_widget_class_bind_template_child (widget_class, MdResultsPage, opened_box);
  gtk_widget_class_bind_template_child (widget_class, MdResultsPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, MdResultsPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, MdResultsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MdResultsPage, transcript_row);
  gtk_widget_class_bind_template_child (widget_class, MdResultsPage, transcript_view);

  gtk_widget_class_install_action (widget_class, "results.copy-transcript", NULL,
                                   copy_transcript_cb);
}

static void
md_results_page_init (MdResultsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->check_rows = g_ptr_array_new ();
  md_page_set_title (MD_PAGE (self), C_("page title", "Results"));
}

/* The headline is the core's; the icon and the sentence under it say how
 * bad it is, so that a glance is enough. */
static void
show_headline (MdResultsPage *self)
{
  g_autofree char *headline = md_report_dup_headline (self->report);
  guint n_findings = g_list_model_get_n_items (md_report_get_findings (self->report));
  const char *icon_name = "emblem-ok-symbolic";
  const char *description =
    _("Mail Doctor reached your server and it answered normally. "
      "If a message still waits in your outbox, send it again.");

  if (md_report_count_status (self->report, MD_CHECK_STATUS_FAIL) > 0)
    {
      icon_name = "dialog-warning-symbolic";
      description = _("Here is what is wrong, the most likely cause first. "
                      "Open one to see how Mail Doctor knows.");
    }
  else if (n_findings > 0)
    {
      icon_name = "dialog-information-symbolic";
      description = _("Sending works, but something here may cause trouble later.");
    }

  adw_status_page_set_title (self->status_page, headline);
  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_description (self->status_page, description);
}

static GtkWidget *
create_finding_row (gpointer item,
                    gpointer user_data)
{
  MdResultsPage *self = MD_RESULTS_PAGE (user_data);

  return md_finding_row_new (MD_FINDING (item), md_report_get_checks (self->report));
}

static void
show_findings (MdResultsPage *self)
{
  GListModel *findings = md_report_get_findings (self->report);

  gtk_list_box_bind_model (self->findings_list, findings,
                           create_finding_row, self, NULL);
  gtk_widget_set_visible (self->findings_group, g_list_model_get_n_items (findings) > 0);
}

static void
clear_checks (MdResultsPage *self)
{
  for (guint i = 0; i < self->check_rows->len; i++)
    adw_expander_row_remove (self->checks_row, g_ptr_array_index (self->check_rows, i));
  g_ptr_array_set_size (self->check_rows, 0);
}

static void
show_checks (MdResultsPage *self)
{
  GListModel *checks = md_report_get_checks (self->report);

  clear_checks (self);
  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (checks, i);
      GtkWidget *row = md_result_row_new_for_check (check);

      adw_expander_row_add_row (self->checks_row, row);
      g_ptr_array_add (self->check_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->checks_row), g_list_model_get_n_items (checks) > 0);
}

static void
show_transcript (MdResultsPage *self)
{
  MdTranscript *transcript = md_report_get_transcript (self->report);
  guint length = transcript != NULL ? md_transcript_get_length (transcript) : 0;
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < length; i++)
    {
      MdDirection direction;
      const char *line = md_transcript_get_text (transcript, i, &direction, NULL);

      g_string_append_printf (text, "%s%s %s", i > 0 ? "\n" : "",
                              direction == MD_DIRECTION_CLIENT ? "C:" : "S:", line);
    }

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->transcript_view), text->str, -1);
  gtk_widget_set_visible (self->transcript_row, length > 0);
}

/**
 * md_results_page_set_report:
 * @read_only: an opened report, which cannot be checked again
 *
 * Shows @report; a new report replaces everything the page showed.
 */
void
md_results_page_set_report (MdResultsPage *self,
                            MdReport      *report,
                            gboolean       read_only)
{
  g_return_if_fail (MD_IS_RESULTS_PAGE (self));
  g_return_if_fail (MD_IS_REPORT (report));

  g_set_object (&self->report, report);

  show_headline (self);
  show_findings (self);
  show_checks (self);
  show_transcript (self);
  gtk_widget_set_visible (self->opened_box, read_only);
  gtk_widget_set_visible (self->fix_button,
                          g_list_model_get_n_items (md_report_get_fixes (report)) > 0);
}
