/* md-step-row.c: one numbered instruction of a fix
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The number sits apart from the text, so that "do step 3" on the phone
 * with a helpdesk points at one obvious place.
 */

#include "md-config.h"

#include "md-step-row.h"

struct _MdStepRow
{
  GtkListBoxRow  parent_instance;

  guint          number;

  GtkLabel      *number_label;
  GtkLabel      *text_label;
};

G_DEFINE_FINAL_TYPE (MdStepRow, md_step_row, GTK_TYPE_LIST_BOX_ROW)

static void
md_step_row_class_init (MdStepRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/md-step-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MdStepRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, MdStepRow, text_label);
}

static void
md_step_row_init (MdStepRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * md_step_row_new:
 * @number: counted from 1
 * @text: plain words, shown as they are
 *
 * Returns: (transfer floating): a row for a #GtkListBox
 */
GtkWidget *
md_step_row_new (guint       number,
                 const char *text)
{
  MdStepRow *self;
  g_autofree char *number_text = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (MD_TYPE_STEP_ROW, NULL);
  self->number = number;
  number_text = g_strdup_printf ("%u", number);
  gtk_label_set_text (self->number_label, number_text);
  gtk_label_set_text (self->text_label, text);

  return GTK_WIDGET (self);
}

guint
md_step_row_get_number (MdStepRow *self)
{
  g_return_val_if_fail (MD_IS_STEP_ROW (self), 0);

  return self->number;
}

const char *
md_step_row_get_text (MdStepRow *self)
{
  g_return_val_if_fail (MD_IS_STEP_ROW (self), NULL);

  return gtk_label_get_text (self->text_label);
}
