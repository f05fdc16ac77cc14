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
  GtkWidget       *noticed_group;
  GtkListBox      *noticed_list;
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
  gtk_widget_class_bind_template_child (widget_class, MdResultsPage, noticed_group);
  gtk_widget_class_bind_template_child (widget_class, MdResultsPage, noticed_list);
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

/* The verdict is the core's: its title, its explanation, and an icon that
 * says at a glance whether anything is wrong. */
static void
show_headline (MdResultsPage *self)
{
  MdVerdict *verdict = md_report_get_verdict (self->report);
  /* The description is markup; the explanation may quote a server. */
  g_autofree char *description = g_markup_escape_text (md_verdict_get_explanation (verdict), -1);
  const char *icon_name;

  switch (md_verdict_get_state (verdict))
    {
    case MD_VERDICT_STATE_WORKS_NOW:
      icon_name = "emblem-ok-symbolic";
      break;
    case MD_VERDICT_STATE_PROBLEM_FOUND:
      icon_name = "dialog-warning-symbolic";
      break;
    case MD_VERDICT_STATE_CANNOT_TELL:
    default:
      icon_name = "dialog-question-symbolic";
      break;
    }

  adw_status_page_set_title (self->status_page, md_verdict_get_title (verdict));
  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_description (self->status_page, description);
}

static GtkWidget *
create_finding_row (gpointer item,
                    gpointer user_data)
{
  MdResultsPage *self = MD_RESULTS_PAGE (user_data);
  GtkWidget *row = md_finding_row_new (MD_FINDING (item), md_report_get_checks (self->report));

  /* The cause and its explanation head the page already: the row is the
   * evidence, one click away, and says nothing twice. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The checks that show it"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row),
                                 _("What each step of the check saw, with the technical detail"));

  return row;
}

/* Only the verdict's cause, with the checks that show it one click away:
 * the findings it set aside are not shown as problems beside it. */
static void
show_findings (MdResultsPage *self)
{
  MdVerdict *verdict = md_report_get_verdict (self->report);
  g_autoptr(GListStore) shown = g_list_store_new (MD_TYPE_FINDING);

  if (md_verdict_get_state (verdict) == MD_VERDICT_STATE_PROBLEM_FOUND)
    g_list_store_append (shown, md_verdict_get_finding (verdict));

  gtk_list_box_bind_model (self->findings_list, G_LIST_MODEL (shown),
                           create_finding_row, self, NULL);
  gtk_widget_set_visible (self->findings_group,
                          g_list_model_get_n_items (G_LIST_MODEL (shown)) > 0);
}

/* What was only noticed, with an information icon: never a problem. */
static void
show_noticed (MdResultsPage *self)
{
  GPtrArray *notes = md_verdict_get_also_noticed (md_report_get_verdict (self->report));
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->noticed_list))) != NULL)
    gtk_list_box_remove (self->noticed_list, child);

  for (guint i = 0; i < notes->len; i++)
    {
      const MdVerdictNote *note = notes->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-information-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Noticed"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), note->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), note->text);
      gtk_list_box_append (self->noticed_list, row);
    }
  gtk_widget_set_visible (self->noticed_group, notes->len > 0);
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

static void
scroll_to_top (MdResultsPage *self)
{
  /* The status page scrolls its content itself. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->status_page));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_SCROLLED_WINDOW (child))
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (child)),
                                0);
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
  show_noticed (self);
  show_checks (self);
  show_transcript (self);
  /* Every run opens as the first did: at the top, with rows collapsed. */
  adw_expander_row_set_expanded (self->checks_row, FALSE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self->transcript_row), FALSE);
  scroll_to_top (self);
  gtk_widget_set_visible (self->opened_box, read_only);
  gtk_widget_set_visible (self->fix_button,
                          g_list_model_get_n_items (md_report_get_fixes (report)) > 0);
}
