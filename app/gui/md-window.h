/* md-window.h: the wizard's window
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "md-report.h"
#include "md-settings.h"

G_BEGIN_DECLS

#define MD_TYPE_WINDOW (md_window_get_type ())

G_DECLARE_FINAL_TYPE (MdWindow, md_window, MD, WINDOW, AdwApplicationWindow)

/* Opens a saved report read-only, as win.open does after the file
 * chooser; problems show as a toast in plain words. */
/* The results of @diagnosis, a finished run (the watch's that worked). */
void        md_window_show_diagnosis (MdWindow    *self,
                                      MdDiagnosis *diagnosis);
void        md_window_open_file   (MdWindow *self,
                                   GFile    *file);
/* The page in view: "welcome", "account", "checking", "results", "fix"
 * or "done". */
const char *md_window_get_page    (MdWindow *self);
/* The report on show, or NULL; read-only when it was opened from a file. */
MdReport   *md_window_get_report  (MdWindow *self);
gboolean    md_window_get_read_only (MdWindow *self);

G_END_DECLS
