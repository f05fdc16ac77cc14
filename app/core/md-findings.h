/* md-findings.h: from check results to the causes of the 421
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-account.h"
#include "md-interpret.h"
#include "md-kb.h"

G_BEGIN_DECLS

/* Findings (MdFinding) for @checks (MdCheck), most important first; an
 * empty list when nothing is wrong. @replies reads the server's words,
 * @kb knows which providers need app passwords. */
GListModel *md_findings_derive (MdAccount                  *account,
                                GListModel                 *checks,
                                const MdInterpretCatalogue *replies,
                                MdKb                       *kb);

G_END_DECLS
