/* fuzz-spf.c: the SPF record parser
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "md-mail-auth.h"
#include "md-mail-auth-private.h"
#include "md-fuzz.h"

static GInetAddress *addresses[4];

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  static const char * const texts[] = { "192.0.2.1", "0.0.0.0", "2001:db8::1", "::" };

  md_fuzz_init ();
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    addresses[i] = g_inet_address_new_from_string (texts[i]);

  return 0;
}

static void
check_term (const MdSpfTerm *term)
{
  if (term->kind > MD_SPF_TERM_MODIFIER)
    md_fuzz_fail ("term kind %d out of range", term->kind);
  if (term->qualifier > MD_SPF_QUALIFIER_NEUTRAL)
    md_fuzz_fail ("qualifier %d out of range", term->qualifier);
  md_fuzz_check_utf8 (term->name, "term name");
  md_fuzz_check_utf8 (term->value, "term value");
  md_fuzz_check_utf8 (md_spf_qualifier_to_string (term->qualifier), "qualifier");

  if (term->kind == MD_SPF_TERM_IP4 || term->kind == MD_SPF_TERM_IP6)
    {
      GSocketFamily family = term->kind == MD_SPF_TERM_IP4 ? G_SOCKET_FAMILY_IPV4
                                                           : G_SOCKET_FAMILY_IPV6;

      if (!G_IS_INET_ADDRESS (term->network))
        md_fuzz_fail ("an ip term without a network");
      if (g_inet_address_get_family (term->network) != family)
        md_fuzz_fail ("an ip term of the wrong family");
      if (term->prefix > (family == G_SOCKET_FAMILY_IPV4 ? 32u : 128u))
        md_fuzz_fail ("prefix /%u too long", term->prefix);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(MdSpfRecord) record = NULL;
  g_autofree char *strict = NULL;
  g_autofree char *folded = NULL;

  if (size > 4 * MD_MAIL_AUTH_MAX_RECORD_LENGTH)
    return -1;

  text = md_fuzz_dup_string (data, size);
  md_spf_is_record (text);
  strict = _md_mail_auth_check_text (text, FALSE);
  folded = _md_mail_auth_check_text (text, TRUE);
  md_fuzz_check_utf8 (strict, "check text");
  md_fuzz_check_utf8 (folded, "check text");

  record = md_spf_record_parse (text);
  if (record == NULL || record->terms == NULL)
    md_fuzz_fail ("no record");
  md_fuzz_check_utf8 (record->error, "spf error");
  for (guint i = 0; i < record->terms->len; i++)
    check_term (g_ptr_array_index (record->terms, i));

  md_spf_record_count_lookups (record);
  md_fuzz_check_utf8 (md_spf_record_get_all (record), "all");
  md_fuzz_check_utf8 (md_spf_record_get_redirect (record), "redirect");

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      MdSpfQualifier qualifier = MD_SPF_QUALIFIER_PASS;

      md_spf_record_matches_address (record, addresses[i], &qualifier);
      if (qualifier > MD_SPF_QUALIFIER_NEUTRAL)
        md_fuzz_fail ("matched qualifier %d out of range", qualifier);
    }

  return 0;
}
