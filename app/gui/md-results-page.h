/* md-results-page.h: what the check found, in plain words
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-page.h"
#include "md-report.h"

G_BEGIN_DECLS

#define MD_TYPE_RESULTS_PAGE (md_results_page_get_type ())

G_DECLARE_FINAL_TYPE (MdResultsPage, md_results_page, MD, RESULTS_PAGE, MdPage)

/* @read_only: an opened report, which cannot be checked again. */
void md_results_page_set_report (MdResultsPage *self,
                                 MdReport      *report,
                                 gboolean       read_only);

G_END_DECLS
