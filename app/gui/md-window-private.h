/* md-window-private.h: what the window's files share
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-account-page.h"
#include "md-checking-page.h"
#include "md-diagnosis.h"
#include "md-done-page.h"
#include "md-fix-page.h"
#include "md-results-page.h"
#include "md-welcome-page.h"
#include "md-window.h"

G_BEGIN_DECLS

struct _MdWindow
{
  AdwApplicationWindow  parent_instance;

  MdSettings           *settings;
  MdDiagnosis          *diagnosis;
  MdReport             *report;
  gboolean              read_only;
  gboolean              running;
  gboolean              rechecking;
  /* The run or re-check in flight, and what lives as long as the window. */
  GCancellable         *run_cancellable;
  GCancellable         *cancellable;
  GtkNativeDialog      *chooser;
  /* The application's "notify::watching", followed whichever it is. */
  GSignalGroup         *app_signals;
  /* Names of the pages before the one in view (static strings). */
  GPtrArray            *history;

  MdAccountPage        *account_page;
  GtkButton            *back_button;
  MdCheckingPage       *checking_page;
  MdDonePage           *done_page;
  MdFixPage            *fix_page;
  MdResultsPage        *results_page;
  GtkStack             *stack;
  AdwToastOverlay      *toast_overlay;
  MdWelcomePage        *welcome_page;
  AdwWindowTitle       *window_title;
};

void _md_window_toast              (MdWindow   *self,
                                    const char *text);
void _md_window_set_report         (MdWindow   *self,
                                    MdReport   *report,
                                    gboolean    read_only);
void _md_window_show_opened_report (MdWindow   *self,
                                    MdReport   *report);
void _md_window_stop_run           (MdWindow   *self);

/* md-window-files.c */
void _md_window_open_action        (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter);
void _md_window_save_action        (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter);
void _md_window_copy_action        (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter);

G_END_DECLS
