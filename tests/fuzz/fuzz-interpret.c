/* fuzz-interpret.c: what a pasted error text means
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the compiled-in catalogue on the input, once as a paste and once as
 * a live reply at the stage the first byte picks.
 */

#include <math.h>

#include "md-interpret.h"
#include "md-fuzz.h"

static MdInterpretCatalogue *catalogue;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  md_fuzz_init ();
  catalogue = md_interpret_catalogue_new (&error);
  if (catalogue == NULL)
    md_fuzz_fail ("the compiled-in catalogue does not load: %s", error->message);

  return 0;
}

static void
check_interpretation (const MdInterpretation *result)
{
  if (result == NULL)
    md_fuzz_fail ("no interpretation");
  if (!(result->confidence >= 0.0 && result->confidence <= 1.0))
    md_fuzz_fail ("confidence %f out of 0..1", result->confidence);
  if (result->code != 0 && (result->code < 100 || result->code > 599))
    md_fuzz_fail ("reply code %u out of range", result->code);
  if (result->has_stage && result->stage > MD_SMTP_STAGE_QUIT)
    md_fuzz_fail ("stage %d out of range", result->stage);

  md_fuzz_check_utf8 (result->enhanced, "enhanced code");
  md_fuzz_check_utf8 (result->provider, "provider");
  md_fuzz_check_utf8 (result->explanation, "explanation");
  md_fuzz_check_utf8 (result->rule_id, "rule id");
  md_fuzz_check_utf8 (result->reply_text, "reply text");
  md_fuzz_check_strv ((const char * const *)result->fixes, "fix id");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(MdInterpretation) pasted = NULL;
  g_autoptr(MdInterpretation) live = NULL;
  MdSmtpStage stage;

  if (size < 1 || size > 2 * MD_INTERPRET_MAX_TEXT)
    return -1;

  stage = data[0] % (MD_SMTP_STAGE_QUIT + 1);
  text = md_fuzz_dup_string (data + 1, size - 1);

  pasted = md_interpret_error_text (catalogue, text);
  check_interpretation (pasted);
  live = md_interpret_reply (catalogue, text, stage);
  check_interpretation (live);
  if (!live->has_stage || live->stage != stage)
    md_fuzz_fail ("a live reply lost its stage");

  return 0;
}
