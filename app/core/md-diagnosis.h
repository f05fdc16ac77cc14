/* md-diagnosis.h
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-account.h"
#include "md-check.h"
#include "md-transcript.h"

G_BEGIN_DECLS

#define MD_TYPE_DIAGNOSIS (md_diagnosis_get_type ())

G_DECLARE_FINAL_TYPE (MdDiagnosis, md_diagnosis, MD, DIAGNOSIS, GObject)

#define MD_DIAGNOSIS_DEFAULT_TIMEOUT_MS 20000

MdDiagnosis  *md_diagnosis_new            (MdAccount            *account);
MdAccount    *md_diagnosis_get_account    (MdDiagnosis          *self);
MdTranscript *md_diagnosis_get_transcript (MdDiagnosis          *self);
GListModel   *md_diagnosis_get_checks     (MdDiagnosis          *self);
MdCheck      *md_diagnosis_find_check     (MdDiagnosis          *self,
                                           MdCheckId             id);
guint         md_diagnosis_get_timeout_ms (MdDiagnosis          *self);
void          md_diagnosis_set_timeout_ms (MdDiagnosis          *self,
                                           guint                 timeout_ms);
void          md_diagnosis_skip_check     (MdDiagnosis          *self,
                                           MdCheckId             id);
gboolean      md_diagnosis_is_skipped     (MdDiagnosis          *self,
                                           MdCheckId             id);
gboolean      md_diagnosis_reports_check  (MdDiagnosis          *self,
                                           MdCheckId             id);
gboolean      md_diagnosis_has_failures   (MdDiagnosis          *self);
void          md_diagnosis_run_async      (MdDiagnosis          *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      md_diagnosis_run_finish     (MdDiagnosis          *self,
                                           GAsyncResult         *result,
                                           GError              **error);

/* What the checks mean, derived when a run or a re-check ends: findings
 * (MdFinding, most important first) and the fix plan (MdFix, in the order
 * to try them). Both are empty while a run is in progress. */
GListModel   *md_diagnosis_get_findings   (MdDiagnosis          *self);
GListModel   *md_diagnosis_get_fixes      (MdDiagnosis          *self);

/* Runs one check again (the wizard's *Check again*, a fix's verification,
 * watch mode), with what it depends on, keeping the other results. The
 * findings and the fix plan are derived again. Returns the new result. */
void          md_diagnosis_recheck_async  (MdDiagnosis          *self,
                                           MdCheckId             id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
MdCheck      *md_diagnosis_recheck_finish (MdDiagnosis          *self,
                                           GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
