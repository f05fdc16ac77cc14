/* md-checking-page.c: the checks of a running diagnosis, as they finish
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rows are there from the start, in the design's order, so that the
 * list does not jump about while checks finish in whatever order the
 * network allows; a check the page did not expect gets a row when it
 * reports.
 */

#include "md-config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "md-checking-page.h"

#define N_CHECK_IDS (MD_CHECK_ERROR_TEXT + 1)

struct _MdCheckingPage
{
  MdPage          parent_instance;

  MdDiagnosis    *diagnosis;
  gulong          finished_handler;
  /* The list owns the rows; these point into it, by check id. */
  MdCheckingRow  *rows[N_CHECK_IDS];
  guint           n_checks;
  guint           n_finished;

  GtkButton      *cancel_button;
  GtkListBox     *check_list;
  GtkProgressBar *progress_bar;
};

G_DEFINE_FINAL_TYPE (MdCheckingPage, md_checking_page, MD_TYPE_PAGE)

static void
update_progress (MdCheckingPage *self)
{
  g_autofree char *text = NULL;

  /* Translators: the progress of a check, "5 of 18 checks done". */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u check done",
                                       "%u of %u checks done", self->n_checks),
                          self->n_finished, self->n_checks);
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 self->n_checks > 0 ? (double)self->n_finished / self->n_checks
                                                    : 0.0);
}

static MdCheckingRow *
add_row (MdCheckingPage *self,
         MdCheckId       id)
{
  GtkWidget *row = md_checking_row_new (id);

  self->rows[id] = MD_CHECKING_ROW (row);
  self->n_checks++;
  gtk_list_box_append (self->check_list, row);

  return self->rows[id];
}

static void
clear_rows (MdCheckingPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->check_list))) != NULL)
    gtk_list_box_remove (self->check_list, child);

  memset (self->rows, 0, sizeof self->rows);
  self->n_checks = self->n_finished = 0;
}

static void
on_check_finished_cb (MdCheckingPage *self,
                      MdCheck        *check,
                      MdDiagnosis    *diagnosis)
{
  MdCheckId id = md_check_get_id (check);
  MdCheckingRow *row;

  g_assert (MD_IS_CHECKING_PAGE (self));
  g_assert (MD_IS_CHECK (check));
  g_return_if_fail ((guint)id < N_CHECK_IDS);

  row = self->rows[id] != NULL ? self->rows[id] : add_row (self, id);

  if (!md_checking_row_get_finished (row))
    self->n_finished++;

  md_checking_row_set_check (row, check);
  update_progress (self);
}

static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  return (int)md_checking_row_get_id (MD_CHECKING_ROW (a)) -
         (int)md_checking_row_get_id (MD_CHECKING_ROW (b));
}

static void
md_checking_page_shown (MdPage *page)
{
  MdCheckingPage *self = MD_CHECKING_PAGE (page);

  /* While checks run, the only thing to do is to stop them. */
  gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
}

static void
md_checking_page_dispose (GObject *object)
{
  MdCheckingPage *self = (MdCheckingPage *)object;

  if (self->diagnosis != NULL)
    g_clear_signal_handler (&self->finished_handler, self->diagnosis);
  g_clear_object (&self->diagnosis);

  gtk_widget_dispose_template (GTK_WIDGET (object), MD_TYPE_CHECKING_PAGE);

  G_OBJECT_CLASS (md_checking_page_parent_class)->dispose (object);
}

static void
md_checking_page_class_init (MdCheckingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_checking_page_dispose;
  MD_PAGE_CLASS (klass)->shown = md_checking_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/md-checking-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MdCheckingPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MdCheckingPage, check_list);
  gtk_widget_class_bind_template_child (widget_class, MdCheckingPage, progress_bar);
}

static void
md_checking_page_init (MdCheckingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_sort_func (self->check_list, sort_rows, NULL, NULL);
}

void
md_checking_page_set_diagnosis (MdCheckingPage *self,
                                MdDiagnosis    *diagnosis)
{
  g_return_if_fail (MD_IS_CHECKING_PAGE (self));
  g_return_if_fail (diagnosis == NULL || MD_IS_DIAGNOSIS (diagnosis));

  if (self->diagnosis != NULL)
    g_clear_signal_handler (&self->finished_handler, self->diagnosis);
  g_set_object (&self->diagnosis, diagnosis);
  clear_rows (self);

  if (diagnosis != NULL)
    {
      for (guint id = 0; id < N_CHECK_IDS; id++)
        if (md_diagnosis_reports_check (diagnosis, id))
          add_row (self, id);

      self->finished_handler =
        g_signal_connect_object (diagnosis, "check-finished",
                                 G_CALLBACK (on_check_finished_cb), self,
                                 G_CONNECT_SWAPPED);
    }

  update_progress (self);
}

void
md_checking_page_finish (MdCheckingPage *self)
{
  g_return_if_fail (MD_IS_CHECKING_PAGE (self));

  for (guint id = 0; id < N_CHECK_IDS; id++)
    {
      if (self->rows[id] == NULL || md_checking_row_get_finished (self->rows[id]))
        continue;

      md_checking_row_set_not_run (self->rows[id]);
      self->n_finished++;
    }

  update_progress (self);
}

guint
md_checking_page_get_n_checks (MdCheckingPage *self)
{
  g_return_val_if_fail (MD_IS_CHECKING_PAGE (self), 0);

  return self->n_checks;
}

guint
md_checking_page_get_n_finished (MdCheckingPage *self)
{
  g_return_val_if_fail (MD_IS_CHECKING_PAGE (self), 0);

  return self->n_finished;
}

MdCheckingRow *
md_checking_page_find_row (MdCheckingPage *self,
                           MdCheckId       id)
{
  g_return_val_if_fail (MD_IS_CHECKING_PAGE (self), NULL);
  g_return_val_if_fail ((guint)id < N_CHECK_IDS, NULL);

  return self->rows[id];
}
