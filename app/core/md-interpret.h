/* md-interpret.h: what an error message that a user pastes means
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "md-types.h"

G_BEGIN_DECLS

/* Reading more than this of a paste never changes the answer, and it bounds
 * the work on a huge one. */
#define MD_INTERPRET_MAX_TEXT (64 * 1024)

/* The rules of app/core/kb/replies.json, loaded once by the caller. */
typedef struct _MdInterpretCatalogue MdInterpretCatalogue;

typedef struct
{
  guint         code;          /* reply code, 0 when the text has none */
  char         *enhanced;      /* "4.7.0", or NULL */
  MdSmtpStage   stage;         /* valid only when has_stage */
  gboolean      has_stage;
  char         *provider;      /* "Yahoo", or NULL */
  MdCause       cause;
  double        confidence;    /* 0 (nothing known) .. 1 */
  char         *explanation;   /* plain words, translated */
  GStrv         fixes;         /* fix ids, most useful first */
  char         *rule_id;       /* the catalogue rule, or "enhanced:X.7.1", "code:421", NULL */
  char         *reply_text;    /* the reply as found in the text, or NULL */
} MdInterpretation;

MdInterpretCatalogue *md_interpret_catalogue_new       (GError                     **error);
MdInterpretCatalogue *md_interpret_catalogue_new_from_bytes (GBytes                *json,
                                                        GError                     **error);
void                  md_interpret_catalogue_free      (MdInterpretCatalogue        *self);

MdInterpretation     *md_interpret_error_text          (const MdInterpretCatalogue  *catalogue,
                                                        const char                  *text);
MdInterpretation     *md_interpret_reply               (const MdInterpretCatalogue  *catalogue,
                                                        const char                  *text,
                                                        MdSmtpStage                  stage);
void                  md_interpretation_free           (MdInterpretation            *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdInterpretCatalogue, md_interpret_catalogue_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdInterpretation, md_interpretation_free)

G_END_DECLS
