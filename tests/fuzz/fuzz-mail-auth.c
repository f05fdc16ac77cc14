/* fuzz-mail-auth.c: the DMARC, DKIM key, MTA-STS and TLS-RPT readers
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every reader gets every input: each must accept anything and describe
 * what is wrong, never fail.
 */

#include <string.h>

#include "md-mail-auth.h"
#include "md-fuzz.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  md_fuzz_init ();
  return 0;
}

static gboolean
is_one_of (const char         *text,
           const char * const *choices)
{
  return text == NULL || g_strv_contains (choices, text);
}

static void
check_dmarc (const char *text)
{
  static const char * const policies[] = { "none", "quarantine", "reject", NULL };
  g_autoptr(MdDmarcRecord) record = NULL;

  md_dmarc_is_record (text);
  md_dmarc_mentions_version (text);
  record = md_dmarc_record_parse (text);
  if (record == NULL)
    md_fuzz_fail ("no DMARC record");

  if (!is_one_of (record->policy, policies) || !is_one_of (record->subdomain_policy, policies))
    md_fuzz_fail ("DMARC policy out of range");
  if ((record->adkim != 'r' && record->adkim != 's') ||
      (record->aspf != 'r' && record->aspf != 's'))
    md_fuzz_fail ("DMARC alignment out of range");
  if (record->error == NULL && (record->policy == NULL || record->pct > 100))
    md_fuzz_fail ("a well formed DMARC record without a policy or with pct %u", record->pct);
  md_fuzz_check_utf8 (record->rua, "rua");
  md_fuzz_check_utf8 (record->ruf, "ruf");
  md_fuzz_check_utf8 (record->error, "DMARC error");
}

static void
check_dkim (const char *text)
{
  g_autoptr(MdDkimKey) key = NULL;
  g_autofree char *description = NULL;

  md_dkim_is_key_record (text);
  key = md_dkim_key_parse (text);
  if (key == NULL)
    md_fuzz_fail ("no DKIM key");

  if (key->revoked && key->bits != 0)
    md_fuzz_fail ("a revoked key with %u bits", key->bits);
  md_fuzz_check_utf8 (key->key_type, "key type");
  md_fuzz_check_utf8 (key->error, "DKIM error");

  description = md_dkim_key_describe (key);
  md_fuzz_check_utf8 (description, "DKIM description");
}

static void
check_policy_records (const char *text)
{
  g_autofree char *sts = NULL;
  g_autofree char *rpt = NULL;

  md_mta_sts_is_record (text);
  sts = md_mta_sts_record_check (text);
  md_fuzz_check_utf8 (sts, "MTA-STS error");

  md_tls_rpt_is_record (text);
  rpt = md_tls_rpt_record_check (text);
  md_fuzz_check_utf8 (rpt, "TLS-RPT error");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;

  if (size > 4 * MD_MAIL_AUTH_MAX_RECORD_LENGTH)
    return -1;

  text = md_fuzz_dup_string (data, size);
  check_dmarc (text);
  check_dkim (text);
  check_policy_records (text);

  return 0;
}
