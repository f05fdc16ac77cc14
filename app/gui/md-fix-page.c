/* md-fix-page.c: the fix plan, one step at a time
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One fix per step, in the order the core proposes them: what is wrong,
 * why it causes the error, what to do in the user's own mail program, and
 * *Check again* to see at once whether it helped. Each result is kept
 * under its step with the time, so that a helpdesk on the phone can ask
 * "what did you try?" and get an answer.
 */

#include "md-config.h"

#include <glib/gi18n.h>

#include "md-compat.h"
#include "md-finding.h"
#include "md-fix.h"
#include "md-fix-page.h"
#include "md-result-row.h"
#include "md-step-row.h"

/* What one *Check again* said. The check object may be updated by a later
 * re-check, so the attempt keeps its own copy of what it showed. */
typedef struct
{
  MdCheckStatus  status;
  char          *summary;
  GDateTime     *when;
} Attempt;

struct _MdFixPage
{
  MdPage             parent_instance;

  MdReport          *report;
  char              *mail_program;
  /* One GPtrArray of Attempt per step, oldest attempt first. */
  GPtrArray         *attempts;
  MdCheck           *last_check;
  guint              step;
  /* The step a running check belongs to, even if the user moves on. */
  guint              check_step;
  gboolean           checking;

  GtkWidget         *check_box;
  GtkWidget         *check_button;
  GtkWidget         *check_button_bin;
  GtkWidget         *history_box;
  GtkListBox        *history_list;
  GtkButton         *next_button;
  GtkWidget         *problem_box;
  GtkLabel          *problem_label;
  AdwComboRow       *program_row;
  GtkScrolledWindow *scroller;
  GtkSpinner        *spinner;
  GtkStack          *stack;
  GtkLabel          *step_label;
  GtkListBox        *steps_list;
  GtkLabel          *title_label;
  GtkLabel          *why_label;
};

G_DEFINE_FINAL_TYPE (MdFixPage, md_fix_page, MD_TYPE_PAGE)

enum {
  PROP_0,
  PROP_MAIL_PROGRAM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* In the order of the program row's model in md-fix-page.ui; NULL is the
 * general steps. */
static const char * const program_ids[] = {
  NULL, "thunderbird", "outlook", "apple-mail", "evolution", "phone"
};

static void
attempt_free (Attempt *attempt)
{
  g_free (attempt->summary);
  g_date_time_unref (attempt->when);
  g_free (attempt);
}

static void
md_fix_page_dispose (GObject *object)
{
  MdFixPage *self = (MdFixPage *)object;

  g_clear_object (&self->report);
  g_clear_object (&self->last_check);
  g_clear_pointer (&self->attempts, g_ptr_array_unref);

  G_OBJECT_CLASS (md_fix_page_parent_class)->dispose (object);
}

static void
md_fix_page_finalize (GObject *object)
{
  MdFixPage *self = (MdFixPage *)object;

  g_clear_pointer (&self->mail_program, g_free);

  G_OBJECT_CLASS (md_fix_page_parent_class)->finalize (object);
}

static void
md_fix_page_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MdFixPage *self = MD_FIX_PAGE (object);

  switch (prop_id)
    {
    case PROP_MAIL_PROGRAM:
      g_value_set_string (value, md_fix_page_get_mail_program (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_fix_page_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MdFixPage *self = MD_FIX_PAGE (object);

  switch (prop_id)
    {
    case PROP_MAIL_PROGRAM:
      md_fix_page_set_mail_program (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static guint
count_steps (MdFixPage *self)
{
  return self->report != NULL ? g_list_model_get_n_items (md_report_get_fixes (self->report)) : 0;
}

static void
remove_rows (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
show_instructions (MdFixPage *self,
                   MdFix     *fix)
{
  g_auto(GStrv) steps = md_fix_dup_steps (fix, self->mail_program);

  remove_rows (self->steps_list);
  for (guint i = 0; steps[i] != NULL; i++)
    gtk_list_box_append (self->steps_list, md_step_row_new (i + 1, steps[i]));
}

static gboolean
finding_has_fix (MdFinding  *finding,
                 const char *fix_id)
{
  const char * const *fixes = md_finding_get_fixes (finding);

  return fixes != NULL && g_strv_contains (fixes, fix_id);
}

/* The first (most important) finding that led to the fix says what is
 * wrong; a fix that no finding names gets no such paragraph. Only its
 * explanation: that already says in other words what the finding's title
 * says, and the two together read as the same thing twice. */
static void
show_problem (MdFixPage *self,
              MdFix     *fix)
{
  GListModel *findings = md_report_get_findings (self->report);

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(MdFinding) finding = g_list_model_get_item (findings, i);

      if (!finding_has_fix (finding, md_fix_get_id (fix)))
        continue;

      gtk_label_set_text (self->problem_label, md_finding_get_explanation (finding));
      gtk_widget_set_visible (self->problem_box, TRUE);
      return;
    }

  gtk_widget_set_visible (self->problem_box, FALSE);
}

static GPtrArray *
step_attempts (MdFixPage *self,
               guint      step)
{
  return g_ptr_array_index (self->attempts, step);
}

static char *
dup_attempt_title (const Attempt *attempt)
{
  switch (attempt->status)
    {
    case MD_CHECK_STATUS_PASS:
      return g_strdup_printf (_("Fixed: %s"), attempt->summary);
    case MD_CHECK_STATUS_WARN:
      return g_strdup_printf (_("Works, with a warning: %s"), attempt->summary);
    case MD_CHECK_STATUS_SKIP:
      return g_strdup_printf (_("Not checked: %s"), attempt->summary);
    case MD_CHECK_STATUS_FAIL:
    case MD_CHECK_STATUS_ERROR:
    default:
      return g_strdup_printf (_("Still failing: %s"), attempt->summary);
    }
}

/* Newest first: the top row is the result of the last *Check again*,
 * right under the button. */
static void
show_history (MdFixPage *self)
{
  GPtrArray *attempts = step_attempts (self, self->step);

  remove_rows (self->history_list);
  for (guint i = attempts->len; i > 0; i--)
    {
      const Attempt *attempt = g_ptr_array_index (attempts, i - 1);
      g_autofree char *title = dup_attempt_title (attempt);
      g_autofree char *time = g_date_time_format (attempt->when, "%X");
      g_autofree char *caption = g_strdup_printf (_("Checked at %s"), time);

      gtk_list_box_append (self->history_list,
                           md_result_row_new (attempt->status, title, caption));
    }
  gtk_widget_set_visible (self->history_box, attempts->len > 0);
}

static void
show_navigation (MdFixPage *self)
{
  gboolean last = self->step + 1 >= count_steps (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "fix.back", self->step > 0);
  gtk_button_set_label (self->next_button,
                        last ? C_("fix step", "Done") : C_("fix step", "Next"));
}

static void
show_step (MdFixPage *self)
{
  g_autoptr(MdFix) fix = g_list_model_get_item (md_report_get_fixes (self->report), self->step);
  /* Translators: which fix of the plan this is; its steps are numbered
   * inside it. */
  g_autofree char *position = g_strdup_printf (_("Fix %u of %u"), self->step + 1,
                                               count_steps (self));

  if (!self->checking)
    self->check_step = self->step;

  gtk_label_set_text (self->step_label, position);
  gtk_label_set_text (self->title_label, md_fix_get_title (fix));
  gtk_label_set_text (self->why_label, md_fix_get_why (fix));
  show_problem (self, fix);
  show_instructions (self, fix);
  /* The target first: win.check-again takes a check id, and a button
   * naming it without one would not match. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->check_button), "s",
                                    md_check_id_to_string (md_fix_get_verify (fix)));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->check_button), "win.check-again");
  show_history (self);
  show_navigation (self);
  /* A new step starts reading at its top. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0.0);
}

static void
next_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  MdFixPage *self = MD_FIX_PAGE (widget);

  if (self->step + 1 >= count_steps (self))
    {
      gtk_widget_activate_action (widget, "win.done", NULL);
      return;
    }

  self->step++;
  show_step (self);
}

static void
back_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  md_fix_page_go_back (MD_FIX_PAGE (widget));
}

/**
 * md_fix_page_go_back:
 *
 * What the window's one back button does on this page: the fix before,
 * while there is one.
 *
 * Returns: whether there was a fix before to go back to
 */
gboolean
md_fix_page_go_back (MdFixPage *self)
{
  g_return_val_if_fail (MD_IS_FIX_PAGE (self), FALSE);

  if (self->step == 0)
    return FALSE;

  self->step--;
  show_step (self);

  return TRUE;
}

static void
apply_mail_program (MdFixPage  *self,
                    const char *program)
{
  if (!md_set_str (&self->mail_program, program))
    return;

  if (count_steps (self) > 0)
    {
      g_autoptr(MdFix) fix = g_list_model_get_item (md_report_get_fixes (self->report),
                                                    self->step);

      show_instructions (self, fix);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAIL_PROGRAM]);
}

static void
on_program_row_notify_selected_cb (MdFixPage *self)
{
  guint selected = adw_combo_row_get_selected (self->program_row);

  if (selected < G_N_ELEMENTS (program_ids))
    apply_mail_program (self, program_ids[selected]);
}

/* The user starts with the step's first line, or with *Check again* when
 * coming back to a step. */
static void
md_fix_page_shown (MdPage *page)
{
  MdFixPage *self = MD_FIX_PAGE (page);

  if (count_steps (self) == 0)
    return;

  if (gtk_widget_get_visible (self->check_box) && step_attempts (self, self->step)->len > 0)
    gtk_widget_grab_focus (self->check_button);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->program_row));
}

static void
md_fix_page_class_init (MdFixPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MdPageClass *page_class = MD_PAGE_CLASS (klass);

  object_class->dispose = md_fix_page_dispose;
  object_class->finalize = md_fix_page_finalize;
  object_class->get_property = md_fix_page_get_property;
  object_class->set_property = md_fix_page_set_property;
  page_class->shown = md_fix_page_shown;

  /* "thunderbird", "outlook", "apple-mail", "evolution", "phone", or NULL
   * for the general steps; the window binds it to the settings. */
  properties[PROP_MAIL_PROGRAM] =
    g_param_spec_string ("mail-program", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/md-fix-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, check_box);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, check_button_bin);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, history_box);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, next_button);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, problem_box);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, program_row);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, step_label);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, steps_list);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, MdFixPage, why_label);
  gtk_widget_class_bind_template_callback (widget_class, on_program_row_notify_selected_cb);

  gtk_widget_class_install_action (widget_class, "fix.next", NULL, next_cb);
  gtk_widget_class_install_action (widget_class, "fix.back", NULL, back_cb);
}

static void
md_fix_page_init (MdFixPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->attempts = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  /* Short enough for the header bar of a phone; the button that leads
   * here says "Fix it step by step". */
  md_page_set_title (MD_PAGE (self), C_("page title", "Fix It"));
}

static void
reset_attempts (MdFixPage *self)
{
  guint n_steps = count_steps (self);

  g_ptr_array_set_size (self->attempts, 0);
  for (guint i = 0; i < n_steps; i++)
    g_ptr_array_add (self->attempts,
                     g_ptr_array_new_with_free_func ((GDestroyNotify)attempt_free));
  g_clear_object (&self->last_check);
}

/**
 * md_fix_page_set_report:
 * @read_only: an opened report, which cannot be checked again
 *
 * Starts the plan of @report at its first step, with no attempts yet.
 */
void
md_fix_page_set_report (MdFixPage *self,
                        MdReport  *report,
                        gboolean   read_only)
{
  g_return_if_fail (MD_IS_FIX_PAGE (self));
  g_return_if_fail (MD_IS_REPORT (report));

  g_set_object (&self->report, report);
  self->step = 0;
  reset_attempts (self);

  gtk_widget_set_visible (self->check_box, !read_only);
  if (count_steps (self) == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "steps");
  show_step (self);
}

const char *
md_fix_page_get_mail_program (MdFixPage *self)
{
  g_return_val_if_fail (MD_IS_FIX_PAGE (self), NULL);

  return self->mail_program;
}

/**
 * md_fix_page_set_mail_program:
 * @program: (nullable): a mail program's id, or %NULL for the general
 *   steps; an id the page does not know also gets the general steps
 */
void
md_fix_page_set_mail_program (MdFixPage  *self,
                              const char *program)
{
  guint index = 0;

  g_return_if_fail (MD_IS_FIX_PAGE (self));

  for (guint i = 1; i < G_N_ELEMENTS (program_ids); i++)
    {
      if (g_strcmp0 (program, program_ids[i]) == 0)
        index = i;
    }

  /* The row's notify::selected applies it, so that the user's choice and
   * the window's take the same path. */
  adw_combo_row_set_selected (self->program_row, index);
}

void
md_fix_page_set_checking (MdFixPage *self,
                          gboolean   checking)
{
  g_return_if_fail (MD_IS_FIX_PAGE (self));

  checking = !!checking;
  if (checking && !self->checking)
    self->check_step = self->step;
  self->checking = checking;

  gtk_widget_set_sensitive (self->check_button_bin, !checking);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), checking);
  gtk_spinner_set_spinning (self->spinner, checking);
}

/**
 * md_fix_page_show_check:
 * @check: the new result of the step's verifying check
 *
 * Shows @check under the step whose *Check again* ran it, and adds it to
 * that step's history.
 */
void
md_fix_page_show_check (MdFixPage *self,
                        MdCheck   *check)
{
  Attempt *attempt;

  g_return_if_fail (MD_IS_FIX_PAGE (self));
  g_return_if_fail (MD_IS_CHECK (check));
  g_return_if_fail (self->check_step < self->attempts->len);

  attempt = g_new0 (Attempt, 1);
  attempt->status = md_check_get_status (check);
  attempt->summary = g_strdup (md_check_get_summary (check) != NULL ?
                               md_check_get_summary (check) : "");
  attempt->when = g_date_time_new_now_local ();
  g_ptr_array_add (step_attempts (self, self->check_step), attempt);
  g_set_object (&self->last_check, check);

  if (self->check_step == self->step)
    show_history (self);
}

guint
md_fix_page_get_n_tried (MdFixPage *self)
{
  guint n_tried = 0;

  g_return_val_if_fail (MD_IS_FIX_PAGE (self), 0);

  for (guint i = 0; i < self->attempts->len; i++)
    n_tried += step_attempts (self, i)->len > 0;

  return n_tried;
}

MdCheck *
md_fix_page_get_last_check (MdFixPage *self)
{
  g_return_val_if_fail (MD_IS_FIX_PAGE (self), NULL);

  return self->last_check;
}
