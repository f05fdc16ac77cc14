/* md-report.h
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-diagnosis.h"
#include "md-verdict.h"

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
/* What a report shows, for the GUI; none of it can hold a secret. */
GListModel *md_report_get_checks         (MdReport    *self);
/* MdFinding, most important first, and MdFix, in the order to try. */
GListModel *md_report_get_findings       (MdReport    *self);
GListModel *md_report_get_fixes          (MdReport    *self);
/* The one answer, derived from the findings and the checks, so that a
 * report read from a file says what the run that wrote it said. */
MdVerdict  *md_report_get_verdict        (MdReport    *self);
MdTranscript *md_report_get_transcript   (MdReport    *self);
guint       md_report_count_status       (MdReport    *self,
                                          MdCheckStatus status);
char       *md_report_to_json            (MdReport    *self);
char       *md_report_to_text            (MdReport    *self,
                                          gboolean     unicode);
char       *md_report_to_html            (MdReport    *self);
/* A ready message for the user's mail provider: what fails, since when,
 * the evidence, in words a support desk reads. */
char       *md_report_to_provider_message (MdReport   *self);

G_END_DECLS
