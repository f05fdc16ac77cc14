/* md-finding-row.c: one finding, expandable to the checks behind it
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The finding says what is wrong in plain words; the user who wants to
 * know how Mail Doctor knows opens it and sees each supporting check with
 * its evidence, so that a helpdesk can trust (or question) the conclusion.
 */

#include "md-config.h"

#include <glib/gi18n.h>

#include "md-finding-row.h"
#include "md-result-row.h"

struct _MdFindingRow
{
  AdwExpanderRow  parent_instance;

  MdFinding      *finding;
  guint           n_checks;
};

G_DEFINE_FINAL_TYPE (MdFindingRow, md_finding_row, ADW_TYPE_EXPANDER_ROW)

static void
md_finding_row_dispose (GObject *object)
{
  MdFindingRow *self = (MdFindingRow *)object;

  g_clear_object (&self->finding);

  G_OBJECT_CLASS (md_finding_row_parent_class)->dispose (object);
}

static void
md_finding_row_class_init (MdFindingRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_finding_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/md-finding-row.ui");
}

static void
md_finding_row_init (MdFindingRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
add_check (MdFindingRow *self,
           MdCheck      *check)
{
  GtkWidget *row = md_result_row_new_for_check (check);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
  self->n_checks++;
}

/* A finding from an old or hand-made report may name checks the report
 * does not hold; the row still opens, and says so. */
static void
add_no_evidence (MdFindingRow *self)
{
  GtkWidget *row = md_result_row_new (MD_CHECK_STATUS_SKIP,
                                      _("The report holds no more detail on this."),
                                      NULL);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
}

/**
 * md_finding_row_new:
 *
 * Returns: (transfer floating): the row
 */
GtkWidget *
md_finding_row_new (MdFinding  *finding,
                    GListModel *checks)
{
  MdFindingRow *self;
  const char * const *ids;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (MD_IS_FINDING (finding), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (checks), NULL);

  /* An expander row of libadwaita 1.2 always reads its subtitle as markup,
   * whatever use-markup says, and the explanation may come from a saved
   * report: both texts are escaped. */
  title = g_markup_escape_text (md_finding_get_title (finding), -1);
  subtitle = g_markup_escape_text (md_finding_get_explanation (finding), -1);
  self = g_object_new (MD_TYPE_FINDING_ROW,
                       "title", title,
                       "subtitle", subtitle,
                       NULL);
  self->finding = g_object_ref (finding);

  ids = md_finding_get_checks (finding);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      MdCheckId id;
      MdCheck *check = md_check_id_from_string (ids[i], &id) ? md_check_list_find (checks, id)
                                                             : NULL;

      if (check != NULL)
        add_check (self, check);
    }
  if (self->n_checks == 0)
    add_no_evidence (self);

  return GTK_WIDGET (self);
}

MdFinding *
md_finding_row_get_finding (MdFindingRow *self)
{
  g_return_val_if_fail (MD_IS_FINDING_ROW (self), NULL);

  return self->finding;
}

guint
md_finding_row_get_n_checks (MdFindingRow *self)
{
  g_return_val_if_fail (MD_IS_FINDING_ROW (self), 0);

  return self->n_checks;
}
