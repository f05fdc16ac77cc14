/* md-report.h
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-diagnosis.h"

G_BEGIN_DECLS

#define MD_REPORT_VERSION 1

/* A report is a few hundred kilobytes at most: the transcript is capped. */
#define MD_REPORT_MAX_BYTES (16 * 1024 * 1024)

#define MD_TYPE_REPORT (md_report_get_type ())

G_DECLARE_FINAL_TYPE (MdReport, md_report, MD, REPORT, GObject)

MdReport   *md_report_new_from_diagnosis (MdDiagnosis *diagnosis);
MdReport   *md_report_new_from_json      (const char  *json,
                                          gssize       length,
                                          GError     **error);
GListModel *md_report_get_checks         (MdReport    *self);
guint       md_report_count_status       (MdReport    *self,
                                          MdCheckStatus status);
char       *md_report_to_json            (MdReport    *self);
char       *md_report_to_text            (MdReport    *self,
                                          gboolean     unicode);
char       *md_report_to_html            (MdReport    *self);

G_END_DECLS
