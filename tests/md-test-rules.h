/* md-test-rules.h: what the rules and the verdict read, made by hand
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-account.h"
#include "md-check.h"
#include "md-findings.h"
#include "md-interpret.h"
#include "md-kb.h"

G_BEGIN_DECLS

/* An account (sam@example.org on smtp.example.org:587), the checks as the
 * probes would leave them, and the catalogues the rules read. */
typedef struct
{
  MdAccount            *account;
  GListStore           *checks;
  MdInterpretCatalogue *replies;
  MdKb                 *kb;
} MdTestRules;

void        md_test_rules_init      (MdTestRules   *rules);
void        md_test_rules_clear     (MdTestRules   *rules);
/* Sets a check's result, replacing any before; @... are evidence
 * key/value pairs, ending with NULL. The summary names the check, so
 * that the evidence can be told apart. */
void        md_test_rules_set_check (MdTestRules   *rules,
                                     MdCheckId      id,
                                     MdCheckStatus  status,
                                     ...) G_GNUC_NULL_TERMINATED;
/* The findings of the rules over the checks, most important first. */
GListModel *md_test_rules_derive    (MdTestRules   *rules);

G_END_DECLS
