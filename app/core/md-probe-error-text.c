/* md-probe-error-text.c: the error.text check, what the user's own error
 * message says
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The message the mail program showed is evidence like any other: it tells
 * what happened when the user sent, which a check run later may not see
 * again (a rate limit that has passed, a receiving server far away).
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-diagnosis-private.h"
#include "md-enums.h"
#include "md-finding.h"

static void
set_evidence (MdCheck                *check,
              const MdInterpretation *meaning)
{
  g_autofree char *code = meaning->code != 0 ? g_strdup_printf ("%u", meaning->code) : NULL;
  g_autofree char *confidence = g_strdup_printf ("%.2f", meaning->confidence);
  g_autofree char *fixes = g_strjoinv (", ", meaning->fixes);

  md_check_set_evidence (check, "code", code);
  md_check_set_evidence (check, "enhanced_code", meaning->enhanced);
  if (meaning->has_stage)
    md_check_set_evidence (check, "stage", md_enum_to_nick (MD_TYPE_SMTP_STAGE, meaning->stage));
  md_check_set_evidence (check, "provider", meaning->provider);
  md_check_set_evidence (check, "cause", md_cause_to_string (meaning->cause));
  md_check_set_evidence (check, "confidence", confidence);
  md_check_set_evidence (check, "rule", meaning->rule_id);
  md_check_set_evidence (check, "fixes", *fixes != '\0' ? fixes : NULL);
  md_check_set_evidence (check, "text", meaning->reply_text);
}

void
_md_probe_error_text_run (MdDiagnosis *self)
{
  const char *text = md_account_get_error_text (md_diagnosis_get_account (self));
  g_autoptr(MdCheck) check = md_check_new (MD_CHECK_ERROR_TEXT);
  g_autoptr(MdInterpretation) meaning = NULL;
  g_autofree char *summary = NULL;

  if (text == NULL || *text == '\0')
    {
      md_check_finish (check, MD_CHECK_STATUS_SKIP, _("No error message was given"), NULL);
      _md_diagnosis_emit (self, check);
      return;
    }

  meaning = md_interpret_error_text (_md_diagnosis_get_replies (self), text);
  set_evidence (check, meaning);

  if (meaning->confidence <= 0.0)
    {
      md_check_finish (check, MD_CHECK_STATUS_SKIP,
                       _("Your error message does not look like a mail server’s answer, so "
                         "it tells nothing more."), NULL);
      _md_diagnosis_emit (self, check);
      return;
    }

  /* Not a failure seen now, but a problem the user did meet. A reply
   * without a reason names no cause: what it does say is the summary. */
  if (meaning->cause == MD_CAUSE_UNKNOWN)
    summary = g_strdup_printf (_("Your error message gives no reason. %s"),
                               meaning->explanation);
  else
    summary = g_strdup_printf (_("Your error message points to this: %s. %s"),
                               md_cause_get_title (meaning->cause), meaning->explanation);
  md_check_finish (check, MD_CHECK_STATUS_WARN, summary, NULL);
  _md_diagnosis_emit (self, check);
}
