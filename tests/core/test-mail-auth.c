/* test-mail-auth.c: the SPF, DMARC, DKIM, MTA-STS and TLS-RPT readers, and
 * the auth.* checks against the fake resolver
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readers are driven by tables of records as people write them, good
 * and broken (the broken ones are the mistakes of kb-421.json), then by
 * random bytes: text from DNS may be anything.
 */

#include <locale.h>
#include <string.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "md-diagnosis.h"
#include "md-mail-auth.h"
#include "md-test-resolver.h"
#include "md-test-utils.h"

#define RUN_TIMEOUT_MS 15000
#define SERVER_HOST "smtp.example.com"

/* SPF */

typedef struct
{
  const char *text;
  gboolean    valid;
  guint       lookups;
  const char *all;      /* NULL: no "all" */
  const char *redirect; /* NULL: none that counts */
} SpfVector;

static const SpfVector spf_vectors[] = {
  { "v=spf1 -all", TRUE, 0, "-all", NULL },
  { "v=spf1 include:_spf.google.com ~all", TRUE, 1, "~all", NULL },
  { "v=spf1 a mx ip4:192.0.2.0/24 ip6:2001:db8::/32 -all", TRUE, 2, "-all", NULL },
  { "V=SPF1 A:Mail.Example.com/24//64 MX/24 ?ALL", TRUE, 2, "?all", NULL },
  { "v=spf1 a//64 mx:example.org//48 ~all", TRUE, 2, "~all", NULL },
  { "v=spf1 redirect=_spf.example.com", TRUE, 1, NULL, "_spf.example.com" },
  /* An "all" makes receivers ignore redirect (RFC 7208 §6.1). */
  { "v=spf1 redirect=_spf.example.com -all", TRUE, 0, "-all", NULL },
  { "v=spf1 exists:%{i}._spf.%{d} ptr -all", TRUE, 2, "-all", NULL },
  { "v=spf1 ip4:192.0.2.5/24 foo=bar exp=explain.example.com +all", TRUE, 0, "+all", NULL },
  { "v=spf1", TRUE, 0, NULL, NULL },
  { "v=spf1  ip4:192.0.2.1   -all  ", TRUE, 0, "-all", NULL },
  { "v=spf1 include:example.com. include:%{d}.spf.example.net -all", TRUE, 2, "-all", NULL },
  { "v=spf1 ip4:0.0.0.0/0 ip6:::/0 -all", TRUE, 0, "-all", NULL },
  { "v=spf1 -all ip4:192.0.2.1 ~all", TRUE, 0, "-all", NULL },
  { "v=spf1 include :_spf.google.com ~all", FALSE, 0, NULL, NULL },
  { "v=spf1 ip4:mail.example.com -all", FALSE, 0, NULL, NULL },
  { "v=spf1 ip4:192.0.2.0/33 -all", FALSE, 0, NULL, NULL },
  { "v=spf1 ip4:192.0.2.1/024 -all", FALSE, 0, NULL, NULL },
  { "v=spf1 ip6:192.0.2.1 -all", FALSE, 0, NULL, NULL },
  { "v=spf1 ip4:2001:db8::1 -all", FALSE, 0, NULL, NULL },
  { "v=spf1 ip4: -all", FALSE, 0, NULL, NULL },
  { "v=spf1 inclde:example.com -all", FALSE, 0, NULL, NULL },
  { "v=spf1 redirect=a.example.com redirect=b.example.com", FALSE, 0, NULL, NULL },
  { "v=spf1 exp=a.example.com exp=b.example.com -all", FALSE, 0, NULL, NULL },
  { "v=spf1 include:localhost -all", FALSE, 0, NULL, NULL },
  { "v=spf1 include:192.0.2.1 -all", FALSE, 0, NULL, NULL },
  { "v=spf1 mx:example.bad- -all", FALSE, 0, NULL, NULL },
  { "v=spf1 include:%{z}.example.com -all", FALSE, 0, NULL, NULL },
  { "v=spf1 include:%{d.example.com -all", FALSE, 0, NULL, NULL },
  { "v=spf1 all:example.com", FALSE, 0, NULL, NULL },
  { "v=spf1 a:example.com/24//129 -all", FALSE, 0, NULL, NULL },
  { "v=spf1 ptr/24 -all", FALSE, 0, NULL, NULL },
  { "v=spf1 a: -all", FALSE, 0, NULL, NULL },
  { "v=spf1 +-all", FALSE, 0, NULL, NULL },
  { "v=spf1 ip4:192.0.2.1 \xe2\x80\x93" "all", FALSE, 0, NULL, NULL },
  { "\xe2\x80\x9cv=spf1 -all\xe2\x80\x9d", FALSE, 0, NULL, NULL },
  { "v=spf1\t-all", FALSE, 0, NULL, NULL },
  { "spf1 -all", FALSE, 0, NULL, NULL },
  { "", FALSE, 0, NULL, NULL },
};

static void
test_spf_vectors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (spf_vectors); i++)
    {
      const SpfVector *v = &spf_vectors[i];
      g_autoptr(MdSpfRecord) record = md_spf_record_parse (v->text);

      g_test_message ("SPF %u: %s", i, v->text);
      g_assert_nonnull (record);
      if (!v->valid)
        {
          g_assert_nonnull (record->error);
          g_assert_true (g_utf8_validate (record->error, -1, NULL));
          g_test_message ("  %s", record->error);
          continue;
        }
      g_assert_null (record->error);
      g_assert_cmpuint (md_spf_record_count_lookups (record), ==, v->lookups);
      g_assert_cmpstr (md_spf_record_get_all (record), ==, v->all);
      g_assert_cmpstr (md_spf_record_get_redirect (record), ==, v->redirect);
    }
}

static void
test_spf_is_record (void)
{
  g_assert_true (md_spf_is_record ("v=spf1"));
  g_assert_true (md_spf_is_record ("v=spf1 -all"));
  g_assert_true (md_spf_is_record ("V=SPF1 -all"));
  g_assert_false (md_spf_is_record ("v=spf10 -all"));
  g_assert_false (md_spf_is_record ("v=spf2.0/pra -all"));
  g_assert_false (md_spf_is_record ("google-site-verification=abc"));
  g_assert_false (md_spf_is_record (" v=spf1 -all"));
  g_assert_false (md_spf_is_record (NULL));
}

static void
test_spf_terms (void)
{
  g_autoptr(MdSpfRecord) record =
    md_spf_record_parse ("v=spf1 ~include:_spf.example.com a:mail.example.com/28//64 "
                         "ip6:2001:db8::/32 exists:%{i}.x.example.com foo=bar -all");
  const MdSpfTerm *term;

  g_assert_null (record->error);
  g_assert_cmpuint (record->terms->len, ==, 6);

  term = g_ptr_array_index (record->terms, 0);
  g_assert_cmpint (term->kind, ==, MD_SPF_TERM_INCLUDE);
  g_assert_cmpint (term->qualifier, ==, MD_SPF_QUALIFIER_SOFTFAIL);
  g_assert_cmpstr (term->value, ==, "_spf.example.com");
  g_assert_false (term->has_macro);

  term = g_ptr_array_index (record->terms, 1);
  g_assert_cmpint (term->kind, ==, MD_SPF_TERM_A);
  g_assert_cmpstr (term->value, ==, "mail.example.com");

  term = g_ptr_array_index (record->terms, 2);
  g_assert_cmpint (term->kind, ==, MD_SPF_TERM_IP6);
  g_assert_cmpuint (term->prefix, ==, 32);
  g_assert_nonnull (term->network);

  term = g_ptr_array_index (record->terms, 3);
  g_assert_cmpint (term->kind, ==, MD_SPF_TERM_EXISTS);
  g_assert_true (term->has_macro);

  term = g_ptr_array_index (record->terms, 4);
  g_assert_cmpint (term->kind, ==, MD_SPF_TERM_MODIFIER);
  g_assert_cmpstr (term->name, ==, "foo");
  g_assert_cmpstr (term->value, ==, "bar");

  term = g_ptr_array_index (record->terms, 5);
  g_assert_cmpint (term->kind, ==, MD_SPF_TERM_ALL);
  g_assert_cmpint (term->qualifier, ==, MD_SPF_QUALIFIER_FAIL);
  g_assert_cmpstr (md_spf_qualifier_to_string (term->qualifier), ==, "-");
}

typedef struct
{
  const char *address;
  gboolean    matches;
  MdSpfQualifier qualifier;
} MatchVector;

static void
test_spf_matches (void)
{
  static const MatchVector vectors[] = {
    { "192.0.2.77", TRUE, MD_SPF_QUALIFIER_PASS },
    { "192.0.2.0", TRUE, MD_SPF_QUALIFIER_PASS },
    { "198.51.100.7", TRUE, MD_SPF_QUALIFIER_FAIL },
    { "198.51.100.8", FALSE, 0 },
    /* "ip4:203.0.113.5/25" has host bits set; the network still counts. */
    { "203.0.113.100", TRUE, MD_SPF_QUALIFIER_NEUTRAL },
    { "203.0.113.200", FALSE, 0 },
    { "2001:db8::1", TRUE, MD_SPF_QUALIFIER_PASS },
    { "2001:db8:7fff::1", TRUE, MD_SPF_QUALIFIER_PASS },
    { "2001:db8:8000::1", FALSE, 0 },
    { "2001:db9::1", FALSE, 0 },
    { "::ffff:192.0.2.1", FALSE, 0 },
  };
  g_autoptr(MdSpfRecord) record =
    md_spf_record_parse ("v=spf1 mx ip4:192.0.2.0/24 -ip4:198.51.100.7 ?ip4:203.0.113.5/25 "
                         "ip6:2001:db8::/33 -all");

  g_assert_null (record->error);
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (vectors[i].address);
      MdSpfQualifier qualifier = MD_SPF_QUALIFIER_NEUTRAL;

      g_test_message ("address %s", vectors[i].address);
      g_assert_cmpint (md_spf_record_matches_address (record, address, &qualifier), ==,
                       vectors[i].matches);
      if (vectors[i].matches)
        g_assert_cmpint (qualifier, ==, vectors[i].qualifier);
    }
}

static void
test_spf_matches_everything (void)
{
  g_autoptr(MdSpfRecord) record = md_spf_record_parse ("v=spf1 ip4:0.0.0.0/0 -all");
  g_autoptr(MdSpfRecord) exact = md_spf_record_parse ("v=spf1 ip4:192.0.2.1 -all");
  g_autoptr(GInetAddress) one = g_inet_address_new_from_string ("192.0.2.1");
  g_autoptr(GInetAddress) two = g_inet_address_new_from_string ("192.0.2.2");

  g_assert_true (md_spf_record_matches_address (record, one, NULL));
  g_assert_true (md_spf_record_matches_address (record, two, NULL));
  g_assert_true (md_spf_record_matches_address (exact, one, NULL));
  g_assert_false (md_spf_record_matches_address (exact, two, NULL));
}

static void
test_spf_too_long (void)
{
  g_autoptr(GString) text = g_string_new ("v=spf1");
  g_autoptr(MdSpfRecord) record = NULL;

  while (text->len <= MD_MAIL_AUTH_MAX_RECORD_LENGTH)
    g_string_append (text, " ip4:192.0.2.1");
  record = md_spf_record_parse (text->str);
  g_assert_nonnull (record->error);
  g_assert_cmpuint (record->terms->len, ==, 0);
}

/* DMARC */

typedef struct
{
  const char *text;
  gboolean    valid;
  const char *policy;
  const char *subdomain_policy;
  guint       pct;
} DmarcVector;

static const DmarcVector dmarc_vectors[] = {
  { "v=DMARC1; p=none", TRUE, "none", NULL, 100 },
  { "v=DMARC1; p=reject; sp=quarantine; pct=50; rua=mailto:d@example.com,"
    "mailto:e@example.net!10m; ruf=mailto:f@example.com; adkim=s; aspf=r; fo=0:1:d:s; "
    "ri=3600; rf=afrf", TRUE, "reject", "quarantine", 50 },
  { "v = DMARC1 ; p = Quarantine ;", TRUE, "quarantine", NULL, 100 },
  { "v=DMARC1;p=reject;pct=0", TRUE, "reject", NULL, 0 },
  { "v=DMARC1; p=none; np=reject; t=y; foo=bar", TRUE, "none", NULL, 100 },
  { "v=DMARC1;; p=none;", TRUE, "none", NULL, 100 },
  { "p=reject; v=DMARC1", FALSE, NULL, NULL, 100 },
  { "v=DMARC1", FALSE, NULL, NULL, 100 },
  { "v=DMARC1; sp=none", FALSE, NULL, NULL, 100 },
  { "v=DMARC1; p=block", FALSE, NULL, NULL, 100 },
  { "v=DMARC1; p=none; pct=150", FALSE, NULL, NULL, 100 },
  { "v=DMARC1; p=none; pct=050", FALSE, NULL, NULL, 100 },
  { "v=DMARC1; p=none; rua=dmarc@example.com", FALSE, NULL, NULL, 100 },
  { "v=DMARC1; p=none; rua=", FALSE, NULL, NULL, 100 },
  { "v=DMARC1; p=none; p=reject", FALSE, NULL, NULL, 100 },
  { "v=DMARC1 p=none", FALSE, NULL, NULL, 100 },
  { "v=DMARC1; p=none; adkim=x", FALSE, NULL, NULL, 100 },
  { "v=DMARC1; p=none; fo=2", FALSE, NULL, NULL, 100 },
  { "v=DMARC1; p=none; ri=soon", FALSE, NULL, NULL, 100 },
  { "v=DMARC1; p=none; reject", FALSE, NULL, NULL, 100 },
  { "v=DMARC2; p=none", FALSE, NULL, NULL, 100 },
  { "v=DMARC1; p=\xe2\x80\x9cnone\xe2\x80\x9d", FALSE, NULL, NULL, 100 },
};

static void
test_dmarc_vectors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (dmarc_vectors); i++)
    {
      const DmarcVector *v = &dmarc_vectors[i];
      g_autoptr(MdDmarcRecord) record = md_dmarc_record_parse (v->text);

      g_test_message ("DMARC %u: %s", i, v->text);
      if (!v->valid)
        {
          g_assert_nonnull (record->error);
          g_assert_null (record->policy);
          g_test_message ("  %s", record->error);
          continue;
        }
      g_assert_null (record->error);
      g_assert_cmpstr (record->policy, ==, v->policy);
      g_assert_cmpstr (record->subdomain_policy, ==, v->subdomain_policy);
      g_assert_cmpuint (record->pct, ==, v->pct);
    }
}

static void
test_dmarc_fields (void)
{
  g_autoptr(MdDmarcRecord) record =
    md_dmarc_record_parse ("v=DMARC1; p=reject; rua=mailto:d@example.com; adkim=S");

  g_assert_null (record->error);
  g_assert_cmpstr (record->rua, ==, "mailto:d@example.com");
  g_assert_null (record->ruf);
  g_assert_cmpint (record->adkim, ==, 's');
  g_assert_cmpint (record->aspf, ==, 'r');
}

static void
test_dmarc_is_record (void)
{
  g_assert_true (md_dmarc_is_record ("v=DMARC1; p=none"));
  g_assert_true (md_dmarc_is_record ("v = DMARC1;p=none"));
  g_assert_true (md_dmarc_is_record ("v=DMARC1"));
  g_assert_false (md_dmarc_is_record ("v=DMARC10; p=none"));
  g_assert_false (md_dmarc_is_record ("p=none; v=DMARC1"));
  g_assert_false (md_dmarc_is_record ("v=spf1 -all"));
  g_assert_false (md_dmarc_is_record (NULL));
  g_assert_true (md_dmarc_mentions_version ("p=none; v=DMARC1"));
  g_assert_false (md_dmarc_mentions_version ("v=spf1 -all"));
}

/* DKIM */

static char *
make_rsa_spki (guint bits)
{
  gnutls_x509_privkey_t private_key = NULL;
  gnutls_pubkey_t public_key = NULL;
  gnutls_privkey_t abstract = NULL;
  gnutls_datum_t der = { NULL, 0 };
  char *base64;

  g_assert_cmpint (gnutls_x509_privkey_init (&private_key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (private_key, GNUTLS_PK_RSA, bits, 0), ==, 0);
  g_assert_cmpint (gnutls_privkey_init (&abstract), ==, 0);
  g_assert_cmpint (gnutls_privkey_import_x509 (abstract, private_key, 0), ==, 0);
  g_assert_cmpint (gnutls_pubkey_init (&public_key), ==, 0);
  g_assert_cmpint (gnutls_pubkey_import_privkey (public_key, abstract, 0, 0), ==, 0);
  g_assert_cmpint (gnutls_pubkey_export2 (public_key, GNUTLS_X509_FMT_DER, &der), ==, 0);

  base64 = g_base64_encode (der.data, der.size);
  gnutls_free (der.data);
  gnutls_pubkey_deinit (public_key);
  gnutls_privkey_deinit (abstract);
  gnutls_x509_privkey_deinit (private_key);
  return base64;
}

static char *
make_bytes_base64 (gsize len)
{
  g_autofree guchar *bytes = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    bytes[i] = (guchar)g_test_rand_int_range (0, 256);
  return g_base64_encode (bytes, len);
}

/* "@KEY@" in @pattern stands for the key. */
static char *
with_key (const char *pattern,
          const char *key)
{
  g_auto(GStrv) parts = g_strsplit (pattern, "@KEY@", -1);

  return g_strjoinv (key, parts);
}

typedef struct
{
  const char *pattern;
  const char *describe;
  gboolean    testing;
} DkimVector;

static void
test_dkim_rsa (void)
{
  static const DkimVector vectors[] = {
    { "v=DKIM1; k=rsa; p=@KEY@", "rsa 2048", FALSE },
    { "p=@KEY@", "rsa 2048", FALSE },
    { "v=DKIM1; h=sha256; t=y; p=@KEY@; n=notes", "rsa 2048", TRUE },
    { "v=DKIM1; K=RSA; s=email; p=@KEY@;", "rsa 2048", FALSE },
    { "k=rsa; v=DKIM1; p=@KEY@", "invalid", FALSE },
    { "v=DKIM2; p=@KEY@", "invalid", FALSE },
    { "v=DKIM1; k=ed25519; p=@KEY@", "invalid", FALSE },
    { "v=DKIM1; k=dsa; p=@KEY@", "invalid", FALSE },
    { "v=DKIM1; p=@KEY@; p=@KEY@", "invalid", FALSE },
  };
  g_autofree char *key = make_rsa_spki (2048);
  g_autofree char *folded = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *text = with_key (vectors[i].pattern, key);
      g_autoptr(MdDkimKey) parsed = md_dkim_key_parse (text);
      g_autofree char *describe = md_dkim_key_describe (parsed);

      g_test_message ("DKIM %u: %s", i, vectors[i].pattern);
      g_assert_cmpstr (describe, ==, vectors[i].describe);
      g_assert_cmpint (parsed->testing, ==, vectors[i].testing);
      g_assert_cmpint (parsed->error == NULL, ==, strcmp (vectors[i].describe, "invalid") != 0);
    }

  /* Long keys are published as several strings and often folded. */
  folded = g_strdup_printf ("v=DKIM1; k=rsa; p=%.*s \t %s", 100, key, key + 100);
  {
    g_autoptr(MdDkimKey) parsed = md_dkim_key_parse (folded);

    g_assert_null (parsed->error);
    g_assert_cmpuint (parsed->bits, ==, 2048);
  }
}

static void
test_dkim_other (void)
{
  g_autofree char *ed25519 = make_bytes_base64 (32);
  g_autofree char *short_key = make_bytes_base64 (16);
  g_autofree char *garbage = make_bytes_base64 (160);
  struct { char *text; const char *describe; } vectors[] = {
    { g_strdup_printf ("v=DKIM1; k=ed25519; p=%s", ed25519), "ed25519" },
    { g_strdup_printf ("v=DKIM1; k=ed25519; p=%s", short_key), "invalid" },
    { g_strdup_printf ("v=DKIM1; k=rsa; p=%s", garbage), "invalid" },
    { g_strdup ("v=DKIM1; p="), "revoked" },
    { g_strdup ("v=DKIM1; k=rsa; p= ;"), "revoked" },
    { g_strdup ("v=DKIM1; p=not*base64"), "invalid" },
    { g_strdup ("v=DKIM1; p=abc"), "invalid" },
    { g_strdup ("v=DKIM1; k=rsa"), "invalid" },
    { g_strdup ("v=DKIM1; p"), "invalid" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autoptr(MdDkimKey) parsed = md_dkim_key_parse (vectors[i].text);
      g_autofree char *describe = md_dkim_key_describe (parsed);

      g_test_message ("DKIM %u: %s", i, vectors[i].text);
      g_assert_cmpstr (describe, ==, vectors[i].describe);
      if (strcmp (vectors[i].describe, "ed25519") == 0)
        g_assert_cmpuint (parsed->bits, ==, 256);
      if (strcmp (vectors[i].describe, "revoked") == 0)
        g_assert_true (parsed->revoked);
      g_free (vectors[i].text);
    }
}

static void
test_dkim_is_key_record (void)
{
  g_assert_true (md_dkim_is_key_record ("v=DKIM1; k=rsa; p=abc"));
  g_assert_true (md_dkim_is_key_record ("p=abc"));
  g_assert_true (md_dkim_is_key_record ("v=DKIM1"));
  g_assert_true (md_dkim_is_key_record ("k=ed25519; p="));
  g_assert_false (md_dkim_is_key_record ("v=spf1 -all"));
  g_assert_false (md_dkim_is_key_record ("google-site-verification=abc"));
  g_assert_false (md_dkim_is_key_record (""));
  g_assert_false (md_dkim_is_key_record (NULL));
}

/* MTA-STS and TLS-RPT */

typedef struct
{
  const char *text;
  gboolean    valid;
} RecordVector;

static const RecordVector mta_sts_vectors[] = {
  { "v=STSv1; id=20240101T000000", TRUE },
  { "v=STSv1; id=abc123;", TRUE },
  { "v=STSv1;id=1; ext=value", TRUE },
  { "v=STSv1", FALSE },
  { "v=STSv1; id=2024-01-01", FALSE },
  { "v=STSv1; id=", FALSE },
  { "v=STSv1; id=123456789012345678901234567890123", FALSE },
  { "v=stsv1; id=1", FALSE },
  { "id=1; v=STSv1", FALSE },
  { "v=STSv1; id=1; id=2", FALSE },
  { "v=STSv1 id=1", FALSE },
};

static const RecordVector tls_rpt_vectors[] = {
  { "v=TLSRPTv1; rua=mailto:tls@example.com", TRUE },
  { "v=TLSRPTv1;rua=https://report.example.com/tlsrpt, mailto:a@example.com;", TRUE },
  { "v=TLSRPTv1", FALSE },
  { "v=TLSRPTv1; rua=tls@example.com", FALSE },
  { "v=TLSRPTv1; rua=ftp://example.com/x", FALSE },
  { "v=TLSRPTv2; rua=mailto:a@example.com", FALSE },
  { "rua=mailto:a@example.com; v=TLSRPTv1", FALSE },
};

static void
check_record_vectors (const RecordVector *vectors,
                      guint               n,
                      char             *(*check) (const char *))
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *error = check (vectors[i].text);

      g_test_message ("record %u: %s", i, vectors[i].text);
      if (vectors[i].valid)
        g_assert_null (error);
      else
        g_assert_nonnull (error);
      if (error != NULL)
        g_test_message ("  %s", error);
    }
}

static void
test_mta_sts_vectors (void)
{
  check_record_vectors (mta_sts_vectors, G_N_ELEMENTS (mta_sts_vectors), md_mta_sts_record_check);
  g_assert_true (md_mta_sts_is_record ("v=STSv1; id=1"));
  g_assert_false (md_mta_sts_is_record ("v=spf1 -all"));
}

static void
test_tls_rpt_vectors (void)
{
  check_record_vectors (tls_rpt_vectors, G_N_ELEMENTS (tls_rpt_vectors), md_tls_rpt_record_check);
  g_assert_true (md_tls_rpt_is_record ("v=TLSRPTv1; rua=mailto:a@example.com"));
  g_assert_false (md_tls_rpt_is_record ("v=STSv1; id=1"));
}

/* Random text: each reader answers, whatever it is given. */

static char *
random_record (const char *prefix)
{
  static const char alphabet[] = "v=spf1DMARC;:/%{}.-+~?!, \tabcip46allxe_0123456789=\xe2";
  GString *text = g_string_new (g_test_rand_bit () ? prefix : "");
  guint len = g_test_rand_int_range (0, 200);

  for (guint i = 0; i < len; i++)
    {
      if (g_test_rand_int_range (0, 8) == 0)
        g_string_append_c (text, (char)g_test_rand_int_range (1, 256));
      else
        g_string_append_c (text, alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)]);
    }
  return g_string_free (text, FALSE);
}

static void
test_random_text (void)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string ("192.0.2.1");

  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *spf_text = random_record ("v=spf1 ");
      g_autofree char *tag_text = random_record ("v=DMARC1; p=");
      g_autoptr(MdSpfRecord) spf = md_spf_record_parse (spf_text);
      g_autoptr(MdDmarcRecord) dmarc = md_dmarc_record_parse (tag_text);
      g_autoptr(MdDkimKey) dkim = md_dkim_key_parse (tag_text);
      g_autofree char *describe = md_dkim_key_describe (dkim);
      g_autofree char *sts = md_mta_sts_record_check (tag_text);
      g_autofree char *rpt = md_tls_rpt_record_check (tag_text);

      g_assert_nonnull (spf);
      g_assert_true (spf->error != NULL || md_spf_is_record (spf_text));
      md_spf_record_matches_address (spf, address, NULL);
      md_spf_record_count_lookups (spf);
      g_assert_true (dmarc->error != NULL || dmarc->policy != NULL);
      g_assert_nonnull (describe);
      md_dmarc_is_record (tag_text);
      md_dkim_is_key_record (tag_text);
    }
}


/* The checks, against the fake resolver */

typedef struct
{
  MdTestResolver *resolver;
  MdAccount      *account;
  MdDiagnosis    *diagnosis;
  guint           elapsed_ms;
} Fixture;

static gboolean
is_auth_check (MdCheckId id)
{
  return id == MD_CHECK_AUTH_SPF || id == MD_CHECK_AUTH_DKIM ||
         id == MD_CHECK_AUTH_DMARC || id == MD_CHECK_AUTH_MTA_STS;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->resolver = md_test_resolver_new ();
  md_test_resolver_install (f->resolver);

  /* The session runs too, against a port where nothing listens: it ends at
   * once and its checks are skipped. */
  f->account = md_account_new ();
  md_account_set_email (f->account, "alice@example.com");
  md_account_set_host (f->account, SERVER_HOST);
  md_account_set_port (f->account, md_test_free_port ());
  md_account_set_security (f->account, MD_SECURITY_NONE);
  md_test_resolver_add_address (f->resolver, SERVER_HOST, "127.0.0.3");

  f->diagnosis = md_diagnosis_new (f->account);
  for (MdCheckId id = MD_CHECK_INPUT; id <= MD_CHECK_ERROR_TEXT; id++)
    if (!is_auth_check (id))
      md_diagnosis_skip_check (f->diagnosis, id);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->diagnosis);
  g_clear_object (&f->account);
  md_test_resolver_uninstall (f->resolver);
  md_test_wait_finalized (g_steal_pointer (&f->resolver), MD_TEST_RELEASE_TIMEOUT_MS);
}

static void
txt (Fixture    *f,
     const char *name,
     const char *text)
{
  const char * const strings[] = { text, NULL };

  md_test_resolver_add_txt (f->resolver, name, strings);
}

static void
run (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started_us = g_get_monotonic_time ();

  md_diagnosis_run_async (f->diagnosis, NULL, md_test_store_result, &result);
  md_test_wait_result (&result, RUN_TIMEOUT_MS);
  g_assert_true (md_diagnosis_run_finish (f->diagnosis, result, &error));
  g_assert_no_error (error);
  f->elapsed_ms = (g_get_monotonic_time () - started_us) / 1000;
}

static MdCheck *
get_check (Fixture   *f,
           MdCheckId  id)
{
  MdCheck *check = md_diagnosis_find_check (f->diagnosis, id);

  g_assert_nonnull (check);
  g_test_message ("%s: %s: %s", md_check_get_id_string (check),
                  md_check_status_to_string (md_check_get_status (check)),
                  md_check_get_summary (check));
  if (md_check_get_detail (check) != NULL)
    g_test_message ("  %s", md_check_get_detail (check));
  return check;
}

static void
assert_evidence (MdCheck    *check,
                 const char *key,
                 const char *value)
{
  g_assert_cmpstr (md_check_get_evidence (check, key), ==, value);
}

/* auth.spf */

static MdCheck *
run_spf (Fixture *f)
{
  run (f);
  return get_check (f, MD_CHECK_AUTH_SPF);
}

static void
test_probe_spf_one (Fixture       *f,
                    gconstpointer  data)
{
  MdCheck *check;

  txt (f, "example.com", "google-site-verification=abc");
  txt (f, "example.com", "v=spf1 ip4:127.0.0.0/24 -all");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  assert_evidence (check, "record", "v=spf1 ip4:127.0.0.0/24 -all");
  assert_evidence (check, "lookups", "0");
  assert_evidence (check, "all", "-all");
  assert_evidence (check, "covers_server", "yes");
  assert_evidence (check, "problem", NULL);
}

static void
test_probe_spf_split_strings (Fixture       *f,
                              gconstpointer  data)
{
  /* RFC 7208 §3.3: the strings join with nothing between them. */
  const char * const strings[] = { "v=spf1 ip4:127.0.0.0/24 ", "include:_spf.example.net ~all", NULL };
  MdCheck *check;

  md_test_resolver_add_txt (f->resolver, "example.com", strings);
  txt (f, "_spf.example.net", "v=spf1 ip4:192.0.2.0/24 -all");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  assert_evidence (check, "record", "v=spf1 ip4:127.0.0.0/24 include:_spf.example.net ~all");
  assert_evidence (check, "lookups", "1");
  assert_evidence (check, "all", "~all");
}

static void
test_probe_spf_none (Fixture       *f,
                     gconstpointer  data)
{
  MdCheck *check;

  txt (f, "example.com", "google-site-verification=abc");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  assert_evidence (check, "problem", "missing");
  assert_evidence (check, "all", "none");
  g_assert_nonnull (strstr (md_check_get_summary (check), "no SPF record"));
}

static void
test_probe_spf_multiple (Fixture       *f,
                         gconstpointer  data)
{
  MdCheck *check;

  txt (f, "example.com", "v=spf1 include:_spf.google.com ~all");
  txt (f, "example.com", "v=spf1 include:spf.protection.outlook.com -all");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  assert_evidence (check, "problem", "multiple");
}

static void
test_probe_spf_plus_all (Fixture       *f,
                         gconstpointer  data)
{
  MdCheck *check;

  txt (f, "example.com", "v=spf1 ip4:127.0.0.0/24 +all");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_WARN);
  assert_evidence (check, "all", "+all");
  assert_evidence (check, "problem", NULL);
}

static void
test_probe_spf_neutral_all (Fixture       *f,
                            gconstpointer  data)
{
  MdCheck *check;

  txt (f, "example.com", "v=spf1 ip4:127.0.0.0/24 ?all");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_WARN);
  assert_evidence (check, "all", "?all");
}

static void
test_probe_spf_include_chain (Fixture       *f,
                              gconstpointer  data)
{
  MdCheck *check;

  /* 2 at the top, 1 in a, none in b and c: 3. The server is covered two
   * levels down. */
  txt (f, "example.com", "v=spf1 include:a.example.net include:b.example.net -all");
  txt (f, "a.example.net", "v=spf1 include:c.example.net ip4:192.0.2.0/24 ~all");
  txt (f, "b.example.net", "v=spf1 ip6:2001:db8::/32 -all");
  txt (f, "c.example.net", "v=spf1 ip4:127.0.0.3 -all");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  assert_evidence (check, "lookups", "3");
  assert_evidence (check, "covers_server", "yes");
}

/* 2 + 5 + 2 + @in_c DNS-querying terms. */
static void
add_counted_chain (Fixture    *f,
                   const char *c_record)
{
  txt (f, "example.com", "v=spf1 include:a.example.net include:b.example.net -all");
  txt (f, "a.example.net", "v=spf1 a mx ptr exists:x.example.net include:c.example.net -all");
  txt (f, "b.example.net", "v=spf1 a:x.example.net mx:y.example.net -all");
  txt (f, "c.example.net", c_record);
}

static void
test_probe_spf_ten_lookups (Fixture       *f,
                            gconstpointer  data)
{
  MdCheck *check;

  add_counted_chain (f, "v=spf1 a -all");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  assert_evidence (check, "lookups", "10");
  assert_evidence (check, "covers_server", "unknown");
}

static void
test_probe_spf_too_many_lookups (Fixture       *f,
                                 gconstpointer  data)
{
  MdCheck *check;

  add_counted_chain (f, "v=spf1 a mx -all");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  assert_evidence (check, "problem", "too-many-lookups");
  assert_evidence (check, "lookups", "11");
}

static void
test_probe_spf_many_includes (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GString) top = g_string_new ("v=spf1");
  MdCheck *check;

  /* Each include leads to two more: without the bound this would ask
   * thousands of names. */
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("i%u.example.net", i);

      g_string_append_printf (top, " include:%s", name);
      txt (f, name, "v=spf1 include:x.example.net include:y.example.net -all");
    }
  g_string_append (top, " -all");
  txt (f, "example.com", top->str);
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  assert_evidence (check, "problem", "too-many-lookups");
  g_assert_cmpuint (md_test_resolver_get_n_lookups (f->resolver), <, 60);
}

static void
test_probe_spf_loop (Fixture       *f,
                     gconstpointer  data)
{
  MdCheck *check;

  txt (f, "example.com", "v=spf1 include:a.example.net -all");
  txt (f, "a.example.net", "v=spf1 include:EXAMPLE.com. -all");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  assert_evidence (check, "problem", "loop");
}

static void
test_probe_spf_redirect_loop (Fixture       *f,
                              gconstpointer  data)
{
  MdCheck *check;

  txt (f, "example.com", "v=spf1 redirect=example.com");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  assert_evidence (check, "problem", "loop");
}

static void
test_probe_spf_redirect (Fixture       *f,
                         gconstpointer  data)
{
  MdCheck *check;

  txt (f, "example.com", "v=spf1 redirect=_spf.example.com");
  txt (f, "_spf.example.com", "v=spf1 ip4:127.0.0.3 -all");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  assert_evidence (check, "all", "-all");
  assert_evidence (check, "lookups", "1");
  assert_evidence (check, "covers_server", "yes");
}

static void
test_probe_spf_covers_no (Fixture       *f,
                          gconstpointer  data)
{
  MdCheck *check;

  txt (f, "example.com", "v=spf1 ip4:192.0.2.0/24 include:a.example.net -all");
  txt (f, "a.example.net", "v=spf1 ip6:2001:db8::/32 -ip4:127.0.0.3 -all");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_WARN);
  assert_evidence (check, "covers_server", "no");
  g_assert_nonnull (strstr (md_check_get_summary (check), SERVER_HOST));
}

static void
test_probe_spf_covers_unknown (Fixture       *f,
                               gconstpointer  data)
{
  MdCheck *check;

  txt (f, "example.com", "v=spf1 mx include:%{ir}.spf.example.net -all");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  assert_evidence (check, "covers_server", "unknown");
  assert_evidence (check, "lookups", "2");
}

static void
test_probe_spf_broken_include (Fixture       *f,
                               gconstpointer  data)
{
  MdCheck *check;

  txt (f, "example.com", "v=spf1 include:gone.example.net -all");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  assert_evidence (check, "problem", "broken-include");
}

static void
test_probe_spf_syntax (Fixture       *f,
                       gconstpointer  data)
{
  MdCheck *check;

  txt (f, "example.com", "v=spf1 include:a.example.net -all");
  txt (f, "a.example.net", "v=spf1 ip4:mail.example.net -all");
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  assert_evidence (check, "problem", "syntax");
  g_assert_nonnull (strstr (md_check_get_detail (check), "ip4:mail.example.net"));
}

static void
test_probe_spf_servfail (Fixture       *f,
                         gconstpointer  data)
{
  MdCheck *check;

  md_test_resolver_fail (f->resolver, "example.com", G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_ERROR);
  assert_evidence (check, "problem", NULL);
}

static void
test_probe_spf_include_servfail (Fixture       *f,
                                 gconstpointer  data)
{
  MdCheck *check;

  txt (f, "example.com", "v=spf1 include:a.example.net -all");
  md_test_resolver_fail (f->resolver, "a.example.net", G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  check = run_spf (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  assert_evidence (check, "covers_server", "unknown");
  assert_evidence (check, "problem", NULL);
}

/* auth.dmarc */

static MdCheck *
run_dmarc (Fixture *f)
{
  run (f);
  return get_check (f, MD_CHECK_AUTH_DMARC);
}

static void
test_probe_dmarc_at_domain (Fixture       *f,
                            gconstpointer  data)
{
  MdCheck *check;

  txt (f, "_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com");
  check = run_dmarc (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  assert_evidence (check, "found_at", "example.com");
  assert_evidence (check, "policy", "reject");
  assert_evidence (check, "subdomain_policy", "reject");
  assert_evidence (check, "pct", "100");
  assert_evidence (check, "rua", "mailto:d@example.com");
  assert_evidence (check, "ruf", "");
  assert_evidence (check, "problem", NULL);
}

static void
test_probe_dmarc_organizational (Fixture       *f,
                                 gconstpointer  data)
{
  MdCheck *check;

  md_account_set_email (f->account, "alice@mail.example.co.uk");
  txt (f, "_dmarc.example.co.uk", "v=DMARC1; p=quarantine; sp=reject; pct=50");
  check = run_dmarc (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  assert_evidence (check, "found_at", "example.co.uk");
  assert_evidence (check, "policy", "quarantine");
  assert_evidence (check, "subdomain_policy", "reject");
  assert_evidence (check, "pct", "50");
}

static void
test_probe_dmarc_missing (Fixture       *f,
                          gconstpointer  data)
{
  MdCheck *check;

  md_account_set_email (f->account, "alice@mail.example.co.uk");
  txt (f, "_dmarc.example.co.uk", "some other text");
  check = run_dmarc (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_WARN);
  assert_evidence (check, "problem", "missing");
}

static void
test_probe_dmarc_policy_none (Fixture       *f,
                              gconstpointer  data)
{
  MdCheck *check;

  txt (f, "_dmarc.example.com", "v=DMARC1; p=none");
  check = run_dmarc (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_WARN);
  assert_evidence (check, "policy", "none");
  assert_evidence (check, "problem", NULL);
}

static void
test_probe_dmarc_syntax (Fixture       *f,
                         gconstpointer  data)
{
  MdCheck *check;

  txt (f, "_dmarc.example.com", "p=reject; v=DMARC1");
  check = run_dmarc (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  assert_evidence (check, "problem", "syntax");
  assert_evidence (check, "record", "p=reject; v=DMARC1");
}

static void
test_probe_dmarc_multiple (Fixture       *f,
                           gconstpointer  data)
{
  MdCheck *check;

  txt (f, "_dmarc.example.com", "v=DMARC1; p=none");
  txt (f, "_dmarc.example.com", "v=DMARC1; p=reject");
  check = run_dmarc (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  assert_evidence (check, "problem", "multiple");
}

static void
test_probe_dmarc_servfail (Fixture       *f,
                           gconstpointer  data)
{
  MdCheck *check;

  md_account_set_email (f->account, "alice@mail.example.co.uk");
  md_test_resolver_fail (f->resolver, "_dmarc.example.co.uk", G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  check = run_dmarc (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_ERROR);
  assert_evidence (check, "problem", NULL);
}

/* auth.dkim */

static MdCheck *
run_dkim (Fixture *f)
{
  run (f);
  return get_check (f, MD_CHECK_AUTH_DKIM);
}

static void
test_probe_dkim_rsa (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *key = make_rsa_spki (2048);
  g_autofree char *record = g_strconcat ("v=DKIM1; k=rsa; p=", key, NULL);
  MdCheck *check;

  txt (f, "google._domainkey.example.com", record);
  check = run_dkim (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  assert_evidence (check, "selector:google", "rsa 2048");
  g_assert_nonnull (strstr (md_check_get_evidence (check, "selectors_tried"), "selector1"));
}

static void
test_probe_dkim_ed25519 (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *key = make_bytes_base64 (32);
  g_autofree char *record = g_strconcat ("v=DKIM1; k=ed25519; p=", key, NULL);
  MdCheck *check;

  txt (f, "fm1._domainkey.example.com", record);
  txt (f, "selector1._domainkey.example.com", "v=DKIM1; p=");
  check = run_dkim (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  assert_evidence (check, "selector:fm1", "ed25519");
  assert_evidence (check, "selector:selector1", "revoked");
}

static void
test_probe_dkim_none (Fixture       *f,
                      gconstpointer  data)
{
  MdCheck *check;

  check = run_dkim (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_WARN);
  g_assert_nonnull (strstr (md_check_get_summary (check), "private"));
  g_assert_nonnull (md_check_get_evidence (check, "selectors_tried"));
}

static void
test_probe_dkim_servfail (Fixture       *f,
                          gconstpointer  data)
{
  MdCheck *check;

  md_test_resolver_fail (f->resolver, "k1._domainkey.example.com",
                         G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  check = run_dkim (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_ERROR);
}

/* auth.mta-sts */

static MdCheck *
run_mta_sts (Fixture *f)
{
  run (f);
  return get_check (f, MD_CHECK_AUTH_MTA_STS);
}

static void
test_probe_mta_sts_present (Fixture       *f,
                            gconstpointer  data)
{
  MdCheck *check;

  txt (f, "_mta-sts.example.com", "v=STSv1; id=20240101T000000");
  txt (f, "_smtp._tls.example.com", "v=TLSRPTv1; rua=mailto:tls@example.com");
  check = run_mta_sts (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  assert_evidence (check, "mta_sts", "present");
  assert_evidence (check, "tls_rpt", "present");
}

static void
test_probe_mta_sts_absent (Fixture       *f,
                           gconstpointer  data)
{
  MdCheck *check;

  check = run_mta_sts (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  assert_evidence (check, "mta_sts", "absent");
  assert_evidence (check, "tls_rpt", "absent");
  g_assert_nonnull (strstr (md_check_get_summary (check), "optional"));
}

static void
test_probe_mta_sts_malformed (Fixture       *f,
                              gconstpointer  data)
{
  MdCheck *check;

  txt (f, "_mta-sts.example.com", "v=STSv1");
  txt (f, "_smtp._tls.example.com", "v=TLSRPTv1; rua=tls@example.com");
  check = run_mta_sts (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_WARN);
  assert_evidence (check, "mta_sts", "malformed");
  assert_evidence (check, "tls_rpt", "malformed");
}

static void
test_probe_mta_sts_servfail (Fixture       *f,
                             gconstpointer  data)
{
  MdCheck *check;

  md_test_resolver_fail (f->resolver, "_mta-sts.example.com", G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  check = run_mta_sts (f);

  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_ERROR);
  assert_evidence (check, "mta_sts", "could-not-ask");
  assert_evidence (check, "tls_rpt", "absent");
}

/* The probe as a whole */

static void
test_probe_no_email (Fixture       *f,
                     gconstpointer  data)
{
  static const MdCheckId ids[] = {
    MD_CHECK_AUTH_SPF, MD_CHECK_AUTH_DKIM, MD_CHECK_AUTH_DMARC, MD_CHECK_AUTH_MTA_STS,
  };

  md_account_set_email (f->account, NULL);
  run (f);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      MdCheck *check = get_check (f, ids[i]);

      g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_SKIP);
      g_assert_cmpstr (md_check_get_summary (check), ==, "Not tested: no email address was given");
    }
}

static void
test_probe_skipped_checks (Fixture       *f,
                           gconstpointer  data)
{
  MdCheck *spf;

  txt (f, "example.com", "v=spf1 ip4:127.0.0.3 -all");
  md_diagnosis_skip_check (f->diagnosis, MD_CHECK_AUTH_DKIM);
  md_diagnosis_skip_check (f->diagnosis, MD_CHECK_AUTH_DMARC);
  md_diagnosis_skip_check (f->diagnosis, MD_CHECK_AUTH_MTA_STS);
  run (f);

  spf = get_check (f, MD_CHECK_AUTH_SPF);
  g_assert_cmpint (md_check_get_status (spf), ==, MD_CHECK_STATUS_PASS);
  g_assert_null (md_diagnosis_find_check (f->diagnosis, MD_CHECK_AUTH_DKIM));
  /* The domain's TXT and the server's address; no DKIM lookups. */
  g_assert_cmpuint (md_test_resolver_get_n_lookups (f->resolver), <=, 4);
}

static void
test_probe_hung_resolver (Fixture       *f,
                          gconstpointer  data)
{
  static const MdCheckId ids[] = {
    MD_CHECK_AUTH_SPF, MD_CHECK_AUTH_DKIM, MD_CHECK_AUTH_DMARC, MD_CHECK_AUTH_MTA_STS,
  };

  md_test_resolver_hang (f->resolver, "example.com");
  md_test_resolver_hang (f->resolver, "_dmarc.example.com");
  md_test_resolver_hang (f->resolver, "google._domainkey.example.com");
  md_test_resolver_hang (f->resolver, "_smtp._tls.example.com");
  md_diagnosis_set_timeout_ms (f->diagnosis, 1500);
  run (f);

  g_test_message ("the run took %u ms", f->elapsed_ms);
  g_assert_cmpuint (f->elapsed_ms, >=, 1000);
  g_assert_cmpuint (f->elapsed_ms, <, 1500 + 1000);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      MdCheck *check = get_check (f, ids[i]);

      g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_ERROR);
    }
}

#define ADD_PROBE_TEST(path, func) \
  g_test_add ("/md/core/mail-auth/probe/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/md/core/mail-auth/spf/vectors", test_spf_vectors);
  g_test_add_func ("/md/core/mail-auth/spf/is-record", test_spf_is_record);
  g_test_add_func ("/md/core/mail-auth/spf/terms", test_spf_terms);
  g_test_add_func ("/md/core/mail-auth/spf/matches", test_spf_matches);
  g_test_add_func ("/md/core/mail-auth/spf/matches-everything", test_spf_matches_everything);
  g_test_add_func ("/md/core/mail-auth/spf/too-long", test_spf_too_long);
  g_test_add_func ("/md/core/mail-auth/dmarc/vectors", test_dmarc_vectors);
  g_test_add_func ("/md/core/mail-auth/dmarc/fields", test_dmarc_fields);
  g_test_add_func ("/md/core/mail-auth/dmarc/is-record", test_dmarc_is_record);
  g_test_add_func ("/md/core/mail-auth/dkim/rsa", test_dkim_rsa);
  g_test_add_func ("/md/core/mail-auth/dkim/other", test_dkim_other);
  g_test_add_func ("/md/core/mail-auth/dkim/is-key-record", test_dkim_is_key_record);
  g_test_add_func ("/md/core/mail-auth/mta-sts/vectors", test_mta_sts_vectors);
  g_test_add_func ("/md/core/mail-auth/tls-rpt/vectors", test_tls_rpt_vectors);
  g_test_add_func ("/md/core/mail-auth/random-text", test_random_text);

  ADD_PROBE_TEST ("spf/one", test_probe_spf_one);
  ADD_PROBE_TEST ("spf/split-strings", test_probe_spf_split_strings);
  ADD_PROBE_TEST ("spf/none", test_probe_spf_none);
  ADD_PROBE_TEST ("spf/multiple", test_probe_spf_multiple);
  ADD_PROBE_TEST ("spf/plus-all", test_probe_spf_plus_all);
  ADD_PROBE_TEST ("spf/neutral-all", test_probe_spf_neutral_all);
  ADD_PROBE_TEST ("spf/include-chain", test_probe_spf_include_chain);
  ADD_PROBE_TEST ("spf/ten-lookups", test_probe_spf_ten_lookups);
  ADD_PROBE_TEST ("spf/too-many-lookups", test_probe_spf_too_many_lookups);
  ADD_PROBE_TEST ("spf/many-includes", test_probe_spf_many_includes);
  ADD_PROBE_TEST ("spf/loop", test_probe_spf_loop);
  ADD_PROBE_TEST ("spf/redirect-loop", test_probe_spf_redirect_loop);
  ADD_PROBE_TEST ("spf/redirect", test_probe_spf_redirect);
  ADD_PROBE_TEST ("spf/covers-no", test_probe_spf_covers_no);
  ADD_PROBE_TEST ("spf/covers-unknown", test_probe_spf_covers_unknown);
  ADD_PROBE_TEST ("spf/broken-include", test_probe_spf_broken_include);
  ADD_PROBE_TEST ("spf/syntax", test_probe_spf_syntax);
  ADD_PROBE_TEST ("spf/servfail", test_probe_spf_servfail);
  ADD_PROBE_TEST ("spf/include-servfail", test_probe_spf_include_servfail);
  ADD_PROBE_TEST ("dmarc/at-domain", test_probe_dmarc_at_domain);
  ADD_PROBE_TEST ("dmarc/organizational", test_probe_dmarc_organizational);
  ADD_PROBE_TEST ("dmarc/missing", test_probe_dmarc_missing);
  ADD_PROBE_TEST ("dmarc/policy-none", test_probe_dmarc_policy_none);
  ADD_PROBE_TEST ("dmarc/syntax", test_probe_dmarc_syntax);
  ADD_PROBE_TEST ("dmarc/multiple", test_probe_dmarc_multiple);
  ADD_PROBE_TEST ("dmarc/servfail", test_probe_dmarc_servfail);
  ADD_PROBE_TEST ("dkim/rsa", test_probe_dkim_rsa);
  ADD_PROBE_TEST ("dkim/ed25519", test_probe_dkim_ed25519);
  ADD_PROBE_TEST ("dkim/none", test_probe_dkim_none);
  ADD_PROBE_TEST ("dkim/servfail", test_probe_dkim_servfail);
  ADD_PROBE_TEST ("mta-sts/present", test_probe_mta_sts_present);
  ADD_PROBE_TEST ("mta-sts/absent", test_probe_mta_sts_absent);
  ADD_PROBE_TEST ("mta-sts/malformed", test_probe_mta_sts_malformed);
  ADD_PROBE_TEST ("mta-sts/servfail", test_probe_mta_sts_servfail);
  ADD_PROBE_TEST ("no-email", test_probe_no_email);
  ADD_PROBE_TEST ("skipped-checks", test_probe_skipped_checks);
  ADD_PROBE_TEST ("hung-resolver", test_probe_hung_resolver);

  return g_test_run ();
}
