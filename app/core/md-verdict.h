/* md-verdict.h: the one answer a diagnosis gives
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-finding.h"
#include "md-types.h"

G_BEGIN_DECLS

typedef enum /*< prefix=MD_VERDICT_STATE >*/
{
  MD_VERDICT_STATE_WORKS_NOW,     /*< nick=works-now >*/
  MD_VERDICT_STATE_PROBLEM_FOUND, /*< nick=problem-found >*/
  MD_VERDICT_STATE_CANNOT_TELL,   /*< nick=cannot-tell >*/
} MdVerdictState;

/* One line of evidence, or one thing also noticed: @id is a check id
 * ("smtp.greeting") for evidence, a cause id for what was also noticed. */
typedef struct
{
  char *id;
  char *title;   /* NULL for evidence */
  char *text;    /* one plain sentence, or two */
} MdVerdictNote;

#define MD_TYPE_VERDICT (md_verdict_get_type ())

G_DECLARE_FINAL_TYPE (MdVerdict, md_verdict, MD, VERDICT, GObject)

MdVerdict      *md_verdict_new                (GListModel *findings,
                                               GListModel *checks);
MdVerdictState  md_verdict_get_state          (MdVerdict  *self);
/* The most likely cause: %MD_CAUSE_UNKNOWN unless a problem was found. */
MdCause         md_verdict_get_cause          (MdVerdict  *self);
/* 0 when the state is not a problem found. */
double          md_verdict_get_confidence     (MdVerdict  *self);
const char     *md_verdict_get_title          (MdVerdict  *self);
/* "Very likely", "Likely", "Possibly"; NULL unless a problem was found. */
const char     *md_verdict_get_certainty      (MdVerdict  *self);
const char     *md_verdict_get_explanation    (MdVerdict  *self);
/* (element-type MdVerdictNote): what decided it, one check each. */
GPtrArray      *md_verdict_get_evidence       (MdVerdict  *self);
/* (element-type MdVerdictNote): advice that is not the problem. */
GPtrArray      *md_verdict_get_also_noticed   (MdVerdict  *self);
/* The finding that decided it (its fixes, its checks), or NULL. */
MdFinding      *md_verdict_get_finding        (MdVerdict  *self);
gboolean        md_verdict_get_can_wait       (MdVerdict  *self);

const char     *md_verdict_state_to_string    (MdVerdictState state);

G_END_DECLS
