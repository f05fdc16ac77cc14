/* md-result-row.c: one check's result in a list, with its evidence
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The results, fix and done pages all show a check the same way: an icon
 * that says pass or fail without relying on colour alone (it has a name for
 * screen readers), a plain sentence, and the evidence for those who ask.
 */

#include "md-config.h"

#include <glib/gi18n.h>

#include "md-result-row.h"

struct _MdResultRow
{
  GtkListBoxRow  parent_instance;

  MdCheckStatus  status;
  guint          n_evidence;

  GtkLabel      *caption_label;
  GtkWidget     *evidence_expander;
  GtkGrid       *evidence_grid;
  GtkImage      *icon;
  GtkLabel      *title_label;
};

G_DEFINE_FINAL_TYPE (MdResultRow, md_result_row, GTK_TYPE_LIST_BOX_ROW)

MdStatusLook
md_status_look (MdCheckStatus status)
{
  switch (status)
    {
    case MD_CHECK_STATUS_PASS:
      return (MdStatusLook) { "emblem-ok-symbolic", "success",
                              C_("check result", "Passed") };
    case MD_CHECK_STATUS_WARN:
      return (MdStatusLook) { "dialog-warning-symbolic", "warning",
                              C_("check result", "Warning") };
    case MD_CHECK_STATUS_FAIL:
      return (MdStatusLook) { "dialog-error-symbolic", "error",
                              C_("check result", "Failed") };
    case MD_CHECK_STATUS_ERROR:
      return (MdStatusLook) { "dialog-question-symbolic", "warning",
                              C_("check result", "Could not check") };
    case MD_CHECK_STATUS_SKIP:
    default:
      return (MdStatusLook) { "action-unavailable-symbolic", "dim-label",
                              C_("check result", "Skipped") };
    }
}

static void
md_result_row_class_init (MdResultRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/md-result-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MdResultRow, caption_label);
  gtk_widget_class_bind_template_child (widget_class, MdResultRow, evidence_expander);
  gtk_widget_class_bind_template_child (widget_class, MdResultRow, evidence_grid);
  gtk_widget_class_bind_template_child (widget_class, MdResultRow, icon);
  gtk_widget_class_bind_template_child (widget_class, MdResultRow, title_label);
}

static void
md_result_row_init (MdResultRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
set_status (MdResultRow   *self,
            MdCheckStatus  status)
{
  MdStatusLook look = md_status_look (status);

  self->status = status;
  gtk_image_set_from_icon_name (self->icon, look.icon_name);
  gtk_widget_add_css_class (GTK_WIDGET (self->icon), look.css_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, look.label,
                                  -1);
}

/**
 * md_result_row_new:
 * @title: (nullable): plain words, shown as they are (never as markup)
 *
 * Returns: (transfer floating): a row for a #GtkListBox
 */
GtkWidget *
md_result_row_new (MdCheckStatus  status,
                   const char    *title,
                   const char    *caption)
{
  MdResultRow *self;

  self = g_object_new (MD_TYPE_RESULT_ROW, NULL);
  set_status (self, status);
  gtk_label_set_text (self->title_label, title != NULL ? title : "");
  gtk_label_set_text (self->caption_label, caption != NULL ? caption : "");
  /* A check whose detail only repeats its summary says it once. */
  gtk_widget_set_visible (GTK_WIDGET (self->caption_label),
                          caption != NULL && *caption != '\0' &&
                          g_strcmp0 (caption, title) != 0);

  return GTK_WIDGET (self);
}

MdCheckStatus
md_result_row_get_status (MdResultRow *self)
{
  g_return_val_if_fail (MD_IS_RESULT_ROW (self), MD_CHECK_STATUS_SKIP);

  return self->status;
}

const char *
md_result_row_get_title (MdResultRow *self)
{
  g_return_val_if_fail (MD_IS_RESULT_ROW (self), NULL);

  return gtk_label_get_text (self->title_label);
}

/* Keys are the core's technical names ("enhanced_code"): they stay in the
 * technical details, folded away, for whoever helps the user. Values can
 * be copied. */
static void
add_evidence_line (MdResultRow *self,
                   const char  *key,
                   const char  *value)
{
  GtkWidget *key_label = gtk_label_new (key);
  GtkWidget *value_label = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (key_label), 0.0f);
  gtk_widget_set_valign (key_label, GTK_ALIGN_START);
  gtk_widget_add_css_class (key_label, "dim-label");
  gtk_widget_add_css_class (key_label, "caption");

  gtk_label_set_xalign (GTK_LABEL (value_label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_widget_set_hexpand (value_label, TRUE);
  gtk_widget_add_css_class (value_label, "caption");
  gtk_widget_add_css_class (value_label, "monospace");

  gtk_grid_attach (self->evidence_grid, key_label, 0, (int)self->n_evidence, 1, 1);
  gtk_grid_attach (self->evidence_grid, value_label, 1, (int)self->n_evidence, 1, 1);
  self->n_evidence++;
}

/**
 * md_result_row_new_for_check:
 *
 * Returns: (transfer floating): a row with the check's summary, its detail
 *   and its evidence, key by key
 */
GtkWidget *
md_result_row_new_for_check (MdCheck *check)
{
  MdResultRow *self;
  g_auto(GStrv) keys = NULL;

  g_return_val_if_fail (MD_IS_CHECK (check), NULL);

  self = MD_RESULT_ROW (md_result_row_new (md_check_get_status (check),
                                           md_check_get_summary (check),
                                           md_check_get_detail (check)));
  keys = md_check_dup_evidence_keys (check);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    add_evidence_line (self, keys[i], md_check_get_evidence (check, keys[i]));

  gtk_widget_set_visible (self->evidence_expander, self->n_evidence > 0);

  return GTK_WIDGET (self);
}

guint
md_result_row_get_n_evidence (MdResultRow *self)
{
  g_return_val_if_fail (MD_IS_RESULT_ROW (self), 0);

  return self->n_evidence;
}
