/* md-interpret-private.h: the catalogue of replies, as the loader builds it
 * and the interpreter reads it
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-interpret.h"

G_BEGIN_DECLS

/* One rule, or one row of the fallback tables (then `key` is "X.4.2" or
 * "421" and the other match fields are unset). */
typedef struct
{
  char     *id;
  char     *key;
  char     *provider;
  guint     code;
  char     *enhanced;      /* exact, or a prefix when it ends in '.' or '*' */
  GStrv     markers;       /* lower case; any one of them must be there */
  GStrv     requires;      /* lower case; and one of these too (may be empty) */
  GStrv     unless;        /* lower case; none of these may be there */
  guint     stages;        /* bit 1 << MdSmtpStage; 0 for any stage */
  int       weight;        /* added to how specific a match is */
  MdCause   cause;
  double    confidence;
  double    alone;         /* the confidence when the text has no code */
  char     *explanation;
  GStrv     fixes;
} Entry;

typedef struct
{
  char  *name;
  GStrv  markers;
} Provider;

struct _MdInterpretCatalogue
{
  GPtrArray *rules;       /* Entry */
  GPtrArray *enhanced;    /* Entry, keyed "X.s" or "X.s.d" */
  GPtrArray *reply_codes; /* Entry, keyed "421" or "4" */
  GPtrArray *providers;   /* Provider */

  /* How a text is read, compiled once: see unwrap () and words_of (). */
  GRegex    *wrappers[3];
  GRegex    *continuation;
  GRegex    *bare_code;
  GRegex    *space;
};

/* Compiles what reading a text needs, once per catalogue. */
void _md_interpret_compile_patterns (MdInterpretCatalogue *self);

G_END_DECLS
