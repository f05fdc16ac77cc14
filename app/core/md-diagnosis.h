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
gboolean      md_diagnosis_has_failures   (MdDiagnosis          *self);
void          md_diagnosis_run_async      (MdDiagnosis          *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      md_diagnosis_run_finish     (MdDiagnosis          *self,
                                           GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
