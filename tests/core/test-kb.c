/* test-kb.c
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "md-kb.h"

/* Test data is written with single quotes, which read better inside C
 * strings; json() turns them into JSON's double quotes. */
#define ZONE(zone, answers) \
  "{'zone': '" zone "', 'name': 'Test list', 'kind': 'ip', 'ipv6': false, " \
  "'public_resolver_blocked': false, 'delist_url': 'https://example.org/', " \
  "'policy': 'Test terms.', 'answers': [" answers "]}"
#define ANSWER(match, kind) \
  "{'match': '" match "', 'kind': '" kind "', 'meaning': '" kind " " match "'}"
#define PROVIDER(id, domains, suffixes) \
  "{'id': '" id "', 'name': 'Test mail', 'domains': [" domains "], " \
  "'mx_suffixes': [" suffixes "], 'host': 'smtp.example.org', 'port': 587, " \
  "'security': 'starttls', 'app_password': false, 'oauth_only': false, " \
  "'source': 'https://example.org/'}"
#define GOOD_ZONE ZONE ("bl.example.org", ANSWER ("127.0.0.2", "listed"))
#define GOOD_PROVIDER PROVIDER ("example", "'example.org'", "")

static GBytes *
json (const char *text)
{
  char *copy = g_strdup (text);

  g_strdelimit (copy, "'", '"');

  return g_bytes_new_take (copy, strlen (copy));
}

static MdKb *
load_kb (const char  *dnsbls,
         const char  *providers,
         GError     **error)
{
  g_autofree char *dnsbls_text = g_strdup_printf ("{'version': 1, 'dnsbls': [%s]}", dnsbls);
  g_autofree char *providers_text =
    g_strdup_printf ("{'version': 1, 'providers': [%s]}", providers);
  g_autoptr(GBytes) dnsbls_bytes = json (dnsbls_text);
  g_autoptr(GBytes) providers_bytes = json (providers_text);

  return md_kb_new_from_bytes (dnsbls_bytes, providers_bytes, error);
}

static const MdDnsbl *
find_zone (MdKb       *kb,
           const char *zone)
{
  GPtrArray *dnsbls = md_kb_get_dnsbls (kb);

  for (guint i = 0; i < dnsbls->len; i++)
    {
      const MdDnsbl *dnsbl = g_ptr_array_index (dnsbls, i);

      if (g_str_equal (dnsbl->zone, zone))
        return dnsbl;
    }

  g_error ("zone %s is not in the knowledge base", zone);
}

static MdDnsblAnswer
read_answer (MdKb       *kb,
             const char *zone,
             const char *address)
{
  const char *meaning = NULL;
  MdDnsblAnswer answer;

  answer = md_kb_read_dnsbl_answer (kb, find_zone (kb, zone), address, &meaning);
  g_assert_nonnull (meaning);
  g_assert_cmpstr (meaning, !=, "");

  return answer;
}

static const char *
provider_id (const MdProvider *provider)
{
  return provider != NULL ? provider->id : NULL;
}

static void
test_files (void)
{
  static const char * const files[][2] = {
    { MD_KB_RESOURCE_PATH "/dnsbls.json", "dnsbls" },
    { MD_KB_RESOURCE_PATH "/providers.json", "providers" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *root;
      gsize size;
      const char *data;

      bytes = g_resources_lookup_data (files[i][0], G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      g_assert_no_error (error);
      data = g_bytes_get_data (bytes, &size);

      json_parser_load_from_data (parser, data, (gssize)size, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

      root = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
      g_assert_true (json_object_has_member (root, files[i][1]));
    }
}

static void
test_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdKb) kb = md_kb_new (&error);
  GPtrArray *dnsbls;
  GPtrArray *providers;
  guint n_ip = 0;

  g_assert_no_error (error);
  g_assert_nonnull (kb);

  dnsbls = md_kb_get_dnsbls (kb);
  for (guint i = 0; i < dnsbls->len; i++)
    {
      const MdDnsbl *dnsbl = g_ptr_array_index (dnsbls, i);

      g_assert_nonnull (dnsbl->zone);
      g_assert_nonnull (dnsbl->name);
      g_assert_nonnull (dnsbl->policy);
      g_assert_true (g_str_has_prefix (dnsbl->delist_url, "http"));
      if (dnsbl->kind == MD_DNSBL_KIND_IP)
        n_ip++;
    }
  g_assert_cmpuint (n_ip, >=, 15);

  providers = md_kb_get_providers (kb);
  g_assert_cmpuint (providers->len, >=, 25);
  for (guint i = 0; i < providers->len; i++)
    {
      const MdProvider *provider = g_ptr_array_index (providers, i);

      g_assert_nonnull (provider->id);
      g_assert_nonnull (provider->name);
      g_assert_nonnull (provider->host);
      g_assert_cmpuint (provider->port, >, 0);
      g_assert_true (provider->security == MD_SECURITY_STARTTLS ||
                     provider->security == MD_SECURITY_TLS);
      g_assert_true (g_str_has_prefix (provider->source, "http"));
      g_assert_nonnull (provider->domains);
      g_assert_nonnull (provider->mx_suffixes);
      if (provider->alt_port != 0)
        g_assert_true (provider->alt_security == MD_SECURITY_STARTTLS ||
                       provider->alt_security == MD_SECURITY_TLS);
    }

  g_assert_finalize_object (g_steal_pointer (&kb));
}

static void
test_answers (void)
{
  g_autoptr(MdKb) kb = md_kb_new (NULL);
  const char *meaning = NULL;

  g_assert_cmpint (read_answer (kb, "zen.spamhaus.org", "127.0.0.2"), ==, MD_DNSBL_ANSWER_LISTED);
  g_assert_cmpint (read_answer (kb, "zen.spamhaus.org", "127.0.0.4"), ==, MD_DNSBL_ANSWER_LISTED);
  g_assert_cmpint (read_answer (kb, "zen.spamhaus.org", "127.0.0.6"), ==, MD_DNSBL_ANSWER_LISTED);
  g_assert_cmpint (read_answer (kb, "zen.spamhaus.org", "127.0.0.10"), ==, MD_DNSBL_ANSWER_POLICY);
  g_assert_cmpint (read_answer (kb, "zen.spamhaus.org", "127.0.0.11"), ==, MD_DNSBL_ANSWER_POLICY);
  g_assert_cmpint (read_answer (kb, "pbl.spamhaus.org", "127.0.0.10"), ==, MD_DNSBL_ANSWER_POLICY);

  /* A code the zone does not name is still a listing inside 127.0.0.x... */
  g_assert_cmpint (read_answer (kb, "zen.spamhaus.org", "127.0.0.99"), ==, MD_DNSBL_ANSWER_LISTED);
  /* ...and unknown elsewhere in 127/8. */
  g_assert_cmpint (read_answer (kb, "zen.spamhaus.org", "127.1.2.3"), ==, MD_DNSBL_ANSWER_UNKNOWN);

  md_kb_read_dnsbl_answer (kb, find_zone (kb, "zen.spamhaus.org"), "127.0.0.10", &meaning);
  g_assert_nonnull (strstr (meaning, "not a spam accusation"));
  md_kb_read_dnsbl_answer (kb, find_zone (kb, "zen.spamhaus.org"), "127.255.255.254", &meaning);
  g_assert_nonnull (strstr (meaning, "public DNS service"));

  /* Without an interest in the words, the answer still reads. */
  g_assert_cmpint (md_kb_read_dnsbl_answer (kb, find_zone (kb, "bl.spamcop.net"),
                                            "127.0.0.2", NULL), ==, MD_DNSBL_ANSWER_LISTED);

  g_assert_cmpint (read_answer (kb, "dbl.spamhaus.org", "127.0.1.2"), ==, MD_DNSBL_ANSWER_LISTED);
  g_assert_cmpint (read_answer (kb, "multi.uribl.com", "127.0.0.2"), ==, MD_DNSBL_ANSWER_LISTED);
  g_assert_cmpint (read_answer (kb, "multi.uribl.com", "127.0.0.14"), ==, MD_DNSBL_ANSWER_LISTED);
}

/* dnsbl_query_rules.error_codes_caveat of kb-421.json: in-band errors that
 * look like listings. None may ever read as one. */
static void
test_error_codes (void)
{
  static const char * const cases[][2] = {
    { "zen.spamhaus.org", "127.255.255.252" },
    { "zen.spamhaus.org", "127.255.255.254" },
    { "zen.spamhaus.org", "127.255.255.255" },
    { "sbl.spamhaus.org", "127.255.255.254" },
    { "xbl.spamhaus.org", "127.255.255.254" },
    { "pbl.spamhaus.org", "127.255.255.254" },
    { "dbl.spamhaus.org", "127.0.1.255" },
    { "dbl.spamhaus.org", "127.255.255.254" },
    { "multi.uribl.com", "127.0.0.1" },
    { "multi.surbl.org", "127.0.0.1" },
    { "bl.score.senderscore.com", "127.255.255.255" },
  };
  g_autoptr(MdKb) kb = md_kb_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s %s", cases[i][0], cases[i][1]);
      g_assert_cmpint (read_answer (kb, cases[i][0], cases[i][1]), ==, MD_DNSBL_ANSWER_ERROR);
    }
}

/* Whatever a zone's rules say, an answer outside 127.0.0.0/8 is an error,
 * never a listing; and every IP list reads the RFC 5782 test point. */
static void
test_outside_loopback (void)
{
  static const char * const addresses[] = {
    "10.0.0.1", "0.0.0.0", "128.0.0.2", "192.0.2.1", "::1", "::ffff:127.0.0.2", "listed", "",
  };
  g_autoptr(MdKb) kb = md_kb_new (NULL);
  GPtrArray *dnsbls = md_kb_get_dnsbls (kb);

  for (guint i = 0; i < dnsbls->len; i++)
    {
      const MdDnsbl *dnsbl = g_ptr_array_index (dnsbls, i);

      for (guint j = 0; j < G_N_ELEMENTS (addresses); j++)
        g_assert_cmpint (read_answer (kb, dnsbl->zone, addresses[j]), ==,
                         MD_DNSBL_ANSWER_ERROR);

      if (dnsbl->kind == MD_DNSBL_KIND_IP)
        g_assert_cmpint (read_answer (kb, dnsbl->zone, "127.0.0.2"), ==,
                         MD_DNSBL_ANSWER_LISTED);
    }
}

static void
test_rule_precedence (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdKb) kb = NULL;
  const MdDnsbl *dnsbl;
  const char *meaning;

  kb = load_kb (ZONE ("bl.example.org",
                      ANSWER ("127.0.0.0/24", "listed") ","
                      ANSWER ("127.0.0.1", "error") ","
                      ANSWER ("127.0.0.10-127.0.0.11", "policy") ","
                      ANSWER ("127.0.0.12", "listed") ","
                      ANSWER ("127.0.0.12/30", "error")),
                GOOD_PROVIDER, &error);
  g_assert_no_error (error);
  dnsbl = find_zone (kb, "bl.example.org");

  g_assert_cmpint (md_kb_read_dnsbl_answer (kb, dnsbl, "127.0.0.5", &meaning), ==,
                   MD_DNSBL_ANSWER_LISTED);
  g_assert_cmpstr (meaning, ==, "listed 127.0.0.0/24");

  /* The narrowest rule wins over the block... */
  g_assert_cmpint (md_kb_read_dnsbl_answer (kb, dnsbl, "127.0.0.11", &meaning), ==,
                   MD_DNSBL_ANSWER_POLICY);
  g_assert_cmpstr (meaning, ==, "policy 127.0.0.10-127.0.0.11");

  /* ...but an error wins over anything, even a narrower listing. */
  g_assert_cmpint (md_kb_read_dnsbl_answer (kb, dnsbl, "127.0.0.1", &meaning), ==,
                   MD_DNSBL_ANSWER_ERROR);
  g_assert_cmpint (md_kb_read_dnsbl_answer (kb, dnsbl, "127.0.0.12", &meaning), ==,
                   MD_DNSBL_ANSWER_ERROR);
  g_assert_cmpstr (meaning, ==, "error 127.0.0.12/30");
  g_assert_cmpint (md_kb_read_dnsbl_answer (kb, dnsbl, "127.0.0.15", NULL), ==,
                   MD_DNSBL_ANSWER_ERROR);
  g_assert_cmpint (md_kb_read_dnsbl_answer (kb, dnsbl, "127.0.1.1", NULL), ==,
                   MD_DNSBL_ANSWER_UNKNOWN);
}

/* Where the provider asks for an app password, the shipped table says
 * where to make one: Gmail's own page; none for providers without. */
static void
test_app_password_url (void)
{
  g_autoptr(MdKb) kb = md_kb_new (NULL);
  const MdProvider *gmail = md_kb_find_provider_by_domain (kb, "gmail.com");
  const MdProvider *outlook = md_kb_find_provider_by_domain (kb, "outlook.com");

  g_assert_true (gmail->app_password);
  g_assert_cmpstr (gmail->app_password_url, ==, "https://myaccount.google.com/apppasswords");
  g_assert_false (outlook->app_password);
  g_assert_null (outlook->app_password_url);
}

static void
test_provider_by_domain (void)
{
  g_autoptr(MdKb) kb = md_kb_new (NULL);

  g_assert_cmpstr (provider_id (md_kb_find_provider_by_domain (kb, "gmail.com")), ==, "gmail");
  g_assert_cmpstr (provider_id (md_kb_find_provider_by_domain (kb, "GMAIL.com")), ==, "gmail");
  g_assert_cmpstr (provider_id (md_kb_find_provider_by_domain (kb, "gmail.com.")), ==, "gmail");
  g_assert_cmpstr (provider_id (md_kb_find_provider_by_domain (kb, "googlemail.com")), ==,
                   "gmail");
  g_assert_cmpstr (provider_id (md_kb_find_provider_by_domain (kb, "Hotmail.co.uk")), ==,
                   "outlook");
  g_assert_cmpstr (provider_id (md_kb_find_provider_by_domain (kb, "gmx.de")), ==, "gmx-net");
  g_assert_cmpstr (provider_id (md_kb_find_provider_by_domain (kb, "gmx.com")), ==, "gmx-com");

  /* Exact only: a subdomain or a look-alike is someone else's. */
  g_assert_null (md_kb_find_provider_by_domain (kb, "mail.gmail.com"));
  g_assert_null (md_kb_find_provider_by_domain (kb, "evilgmail.com"));
  g_assert_null (md_kb_find_provider_by_domain (kb, "example.com"));
  g_assert_null (md_kb_find_provider_by_domain (kb, ""));
  g_assert_null (md_kb_find_provider_by_domain (kb, "."));
}

static void
test_provider_idn (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdKb) kb = NULL;

  kb = load_kb (GOOD_ZONE,
                PROVIDER ("unicode", "'bücher.example'", "") ","
                PROVIDER ("ascii", "'xn--mller-kva.example'", ""),
                &error);
  g_assert_no_error (error);

  g_assert_cmpstr (provider_id (md_kb_find_provider_by_domain (kb, "bücher.example")), ==,
                   "unicode");
  g_assert_cmpstr (provider_id (md_kb_find_provider_by_domain (kb, "BÜCHER.example")), ==,
                   "unicode");
  g_assert_cmpstr (provider_id (md_kb_find_provider_by_domain (kb, "xn--bcher-kva.example")),
                   ==, "unicode");
  g_assert_cmpstr (provider_id (md_kb_find_provider_by_domain (kb, "müller.example")), ==,
                   "ascii");
  g_assert_cmpstr (provider_id (md_kb_find_provider_by_domain (kb, "XN--MLLER-KVA.example")),
                   ==, "ascii");
}

static void
test_provider_by_mx (void)
{
  static const char * const cases[][2] = {
    { "aspmx.l.google.com.", "gmail" },
    { "ASPMX.L.GOOGLE.COM", "gmail" },
    { "smtp.google.com", "gmail" },
    { "google.com", "gmail" },
    { "example-com.mail.protection.outlook.com", "microsoft365" },
    { "example-com.mail.protection.outlook.com.", "microsoft365" },
    { "hotmail-com.olc.protection.outlook.com", "outlook" },
    { "mx01.mail.icloud.com", "icloud" },
    { "mx.zoho.com", "zoho" },
    { "mx.zoho.eu", "zoho-eu" },
    { "in1-smtp.messagingengine.com", "fastmail" },
    /* The longest claim wins: AOL's MX lives inside Yahoo's DNS name. */
    { "mx-aol.mail.gm0.yahoodns.net", "aol" },
    { "mta5.am0.yahoodns.net", "yahoo" },
    /* Suffixes match on label boundaries only. */
    { "evilgoogle.com", NULL },
    { "aspmx.l.evilgoogle.com", NULL },
    { "google.com.evil.example", NULL },
    { "protection.outlook.com", NULL },
    { "com", NULL },
    { "", NULL },
    { ".", NULL },
  };
  g_autoptr(MdKb) kb = md_kb_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i][0]);
      g_assert_cmpstr (provider_id (md_kb_find_provider_by_mx (kb, cases[i][0])), ==,
                       cases[i][1]);
    }
}

/* Each lookup has one answer: a name is claimed once, whatever its case. */
static void
test_unique (void)
{
  g_autoptr(MdKb) kb = md_kb_new (NULL);
  g_autoptr(GHashTable) zones = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) domains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) suffixes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *dnsbls = md_kb_get_dnsbls (kb);
  GPtrArray *providers = md_kb_get_providers (kb);

  for (guint i = 0; i < dnsbls->len; i++)
    {
      const MdDnsbl *dnsbl = g_ptr_array_index (dnsbls, i);

      g_assert_true (g_hash_table_add (zones, dnsbl->zone));
    }

  for (guint i = 0; i < providers->len; i++)
    {
      const MdProvider *provider = g_ptr_array_index (providers, i);

      g_assert_true (g_hash_table_add (ids, provider->id));
      for (guint j = 0; provider->domains[j] != NULL; j++)
        {
          g_test_message ("%s: %s", provider->id, provider->domains[j]);
          g_assert_true (g_hash_table_add (domains, g_ascii_strdown (provider->domains[j], -1)));
          g_assert_true (md_kb_find_provider_by_domain (kb, provider->domains[j]) == provider);
        }
      for (guint j = 0; provider->mx_suffixes[j] != NULL; j++)
        {
          g_test_message ("%s: %s", provider->id, provider->mx_suffixes[j]);
          g_assert_true (g_hash_table_add (suffixes,
                                           g_ascii_strdown (provider->mx_suffixes[j], -1)));
          g_assert_true (md_kb_find_provider_by_mx (kb, provider->mx_suffixes[j]) == provider);
        }
    }
}

static void
test_valid_test_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdKb) kb = load_kb (GOOD_ZONE, GOOD_PROVIDER, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (md_kb_get_dnsbls (kb)->len, ==, 1);
  g_assert_cmpuint (md_kb_get_providers (kb)->len, ==, 1);
}

/* A broken file is an error naming the file and the entry, never a crash
 * or a half-loaded knowledge base. */
static void
test_broken (void)
{
  static const struct {
    const char *dnsbls;
    const char *providers;
    const char *place;
  } cases[] = {
    { GOOD_ZONE ",", GOOD_PROVIDER, "dnsbls.json" },
    { "42", GOOD_PROVIDER, "dnsbls.json, entry 1" },
    { GOOD_ZONE "," GOOD_ZONE, GOOD_PROVIDER, "dnsbls.json, entry 2 (bl.example.org)" },
    { GOOD_ZONE "," ZONE ("Bl.Example.NET", ANSWER ("127.0.0.2", "listed")), GOOD_PROVIDER,
      "entry 2 (Bl.Example.NET)" },
    { ZONE ("bl.example.org", ""), GOOD_PROVIDER, "entry 1 (bl.example.org)" },
    { ZONE ("bl.example.org", ANSWER ("127.0.0.300", "listed")), GOOD_PROVIDER,
      "entry 1 (bl.example.org), answer 1" },
    { ZONE ("bl.example.org", ANSWER ("10.0.0.0/8", "listed")), GOOD_PROVIDER,
      "entry 1 (bl.example.org), answer 1" },
    { ZONE ("bl.example.org", ANSWER ("127.0.0.2", "listed") "," ANSWER ("127.0.0.1/24", "listed")),
      GOOD_PROVIDER, "entry 1 (bl.example.org), answer 2" },
    { ZONE ("bl.example.org", ANSWER ("127.0.0.9-127.0.0.3", "listed")), GOOD_PROVIDER,
      "answer 1" },
    { ZONE ("bl.example.org", ANSWER ("127.0.0.2/33", "listed")), GOOD_PROVIDER, "answer 1" },
    { ZONE ("bl.example.org", ANSWER ("127.0.0.2", "unknown")), GOOD_PROVIDER, "answer 1" },
    { ZONE ("bl.example.org", "{'match': '127.0.0.2', 'kind': 'listed'}"), GOOD_PROVIDER,
      "answer 1" },
    { "{'zone': 'bl.example.org', 'name': 'x', 'kind': 'ip', 'ipv6': 'yes'}", GOOD_PROVIDER,
      "entry 1 (bl.example.org)" },
    { "{'zonee': 'bl.example.org'}", GOOD_PROVIDER, "dnsbls.json, entry 1" },
    { GOOD_ZONE, GOOD_PROVIDER "," PROVIDER ("other", "'example.org'", ""),
      "providers.json, entry 2 (other)" },
    { GOOD_ZONE, GOOD_PROVIDER "," PROVIDER ("other", "'Example.NET'", ""),
      "providers.json, entry 2 (other)" },
    { GOOD_ZONE, GOOD_PROVIDER "," PROVIDER ("other", "'example.net'", "'x.example.org'") ","
      PROVIDER ("third", "", "'x.example.org'"), "providers.json, entry 3 (third)" },
    { GOOD_ZONE, GOOD_PROVIDER "," PROVIDER ("example", "'example.net'", ""),
      "entry 2 (example)" },
    { GOOD_ZONE, PROVIDER ("Example", "'example.org'", ""), "entry 1 (Example)" },
    { GOOD_ZONE, PROVIDER ("nothing", "", ""), "entry 1 (nothing)" },
    { GOOD_ZONE, PROVIDER ("tld", "", "'com'"), "entry 1 (tld)" },
    { GOOD_ZONE, "{'id': 'x', 'name': 'x', 'domains': ['x.example'], 'host': 'smtp.x.example', "
      "'port': 0, 'security': 'tls', 'app_password': false, 'oauth_only': false, "
      "'source': 'https://x.example/'}", "entry 1 (x)" },
    { GOOD_ZONE, "{'id': 'x', 'name': 'x', 'domains': ['x.example'], 'host': 'smtp.x.example', "
      "'port': 465, 'security': 'ssl', 'app_password': false, 'oauth_only': false, "
      "'source': 'https://x.example/'}", "entry 1 (x)" },
    { GOOD_ZONE, "{'id': 'x', 'name': 'x', 'domains': ['x.example'], 'host': 'smtp.x.example', "
      "'port': 465, 'security': 'tls', 'app_password': true, "
      "'app_password_url': 'x.example/app-passwords', 'oauth_only': false, "
      "'source': 'https://x.example/'}", "entry 1 (x)" },
    { GOOD_ZONE, "{'id': 'x', 'name': 'x', 'domains': ['x.example'], 'host': 'smtp.x.example', "
      "'port': 465, 'security': 'tls', 'alt_security': 'starttls', 'app_password': false, "
      "'oauth_only': false, 'source': 'https://x.example/'}", "entry 1 (x)" },
    { GOOD_ZONE, "{'id': 'x', 'name': 'x', 'domains': ['x.example'], 'host': 'smtp.x.example', "
      "'port': 465, 'security': 'tls', 'app_password': false, 'oauth_only': false}",
      "entry 1 (x)" },
    { GOOD_ZONE, "{'id': 'x', 'name': 'x', 'domains': ['x.example'], 'host': 'Smtp X', "
      "'port': 465, 'security': 'tls', 'app_password': false, 'oauth_only': false, "
      "'source': 'https://x.example/'}", "entry 1 (x)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MdKb) kb = NULL;

      kb = load_kb (cases[i].dnsbls, cases[i].providers, &error);
      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(no error)");
      g_assert_null (kb);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, cases[i].place));
    }
}

static void
test_wrong_version (void)
{
  g_autoptr(GBytes) dnsbls = json ("{'version': 2, 'dnsbls': []}");
  g_autoptr(GBytes) providers = json ("{'version': 1, 'providers': []}");
  g_autoptr(GBytes) no_list = json ("{'version': 1}");
  g_autoptr(GBytes) empty = json ("{'version': 1, 'dnsbls': []}");
  g_autoptr(GError) error = NULL;
  g_autoptr(MdKb) kb = NULL;

  kb = md_kb_new_from_bytes (dnsbls, providers, &error);
  g_assert_null (kb);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "dnsbls.json"));
  g_clear_error (&error);

  kb = md_kb_new_from_bytes (providers, providers, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "dnsbls.json"));
  g_clear_error (&error);

  kb = md_kb_new_from_bytes (empty, no_list, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "providers.json"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/md/core/kb/app-password-url", test_app_password_url);
  g_test_add_func ("/md/core/kb/files", test_files);
  g_test_add_func ("/md/core/kb/load", test_load);
  g_test_add_func ("/md/core/kb/answers", test_answers);
  g_test_add_func ("/md/core/kb/error-codes", test_error_codes);
  g_test_add_func ("/md/core/kb/outside-loopback", test_outside_loopback);
  g_test_add_func ("/md/core/kb/rule-precedence", test_rule_precedence);
  g_test_add_func ("/md/core/kb/provider-by-domain", test_provider_by_domain);
  g_test_add_func ("/md/core/kb/provider-idn", test_provider_idn);
  g_test_add_func ("/md/core/kb/provider-by-mx", test_provider_by_mx);
  g_test_add_func ("/md/core/kb/unique", test_unique);
  g_test_add_func ("/md/core/kb/valid-test-data", test_valid_test_data);
  g_test_add_func ("/md/core/kb/broken", test_broken);
  g_test_add_func ("/md/core/kb/wrong-version", test_wrong_version);

  return g_test_run ();
}
