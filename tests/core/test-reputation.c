/* test-reputation.c: the reputation probe (rep.*), its pure helpers, and
 * the probe run through a diagnosis against the fake resolver
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The probe runs after the SMTP session, so each case runs a whole
 * diagnosis with every check but the rep.* ones skipped. Without a peer
 * the session is refused at once (nothing listens on the port) and the
 * server's addresses are the ones the fake resolver gave for its name; with
 * a peer it also has a greeting and an EHLO reply to read.
 */

#include <locale.h>
#include <string.h>

#include "md-diagnosis.h"
#include "md-dns.h"
#include "md-kb.h"
#include "md-reputation.h"
#include "md-test-peer.h"
#include "md-test-resolver.h"
#include "md-test-utils.h"

#define RUN_TIMEOUT_MS 15000
#define SERVER_HOST "mx.test.example"
#define CLIENT_IP "203.0.113.5"

/* Pure helpers */

static void
test_public (void)
{
  static const struct
  {
    const char *address;
    gboolean    public;
  } vectors[] = {
    { "203.0.113.5", TRUE },
    { "198.51.100.7", TRUE },
    { "192.0.2.1", TRUE },
    { "8.8.8.8", TRUE },
    { "100.63.255.255", TRUE },
    { "100.128.0.1", TRUE },
    { "172.32.0.1", TRUE },
    { "2001:db8::1", TRUE },
    { "2a00:1450:4001:80b::200e", TRUE },
    { "10.1.2.3", FALSE },
    { "172.16.0.1", FALSE },
    { "172.31.255.255", FALSE },
    { "192.168.1.5", FALSE },
    { "100.64.0.1", FALSE },
    { "100.127.255.254", FALSE },
    { "127.0.0.1", FALSE },
    { "127.0.0.2", FALSE },
    { "169.254.10.10", FALSE },
    { "0.0.0.0", FALSE },
    { "192.0.0.8", FALSE },
    { "198.18.0.1", FALSE },
    { "224.0.0.1", FALSE },
    { "255.255.255.255", FALSE },
    { "::1", FALSE },
    { "::", FALSE },
    { "fe80::1", FALSE },
    { "fd00::1", FALSE },
    { "ff02::1", FALSE },
    { "::ffff:203.0.113.5", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (vectors[i].address);

      g_test_message ("%s", vectors[i].address);
      g_assert_cmpint (md_reputation_address_is_public (address), ==, vectors[i].public);
    }
}

static void
test_client_ip_wordings (void)
{
  static const struct
  {
    const char *text;
    const char *ip;
  } vectors[] = {
    /* Postfix */
    { "mx.example.com Hello [203.0.113.5]\nPIPELINING\nSIZE 10240000", "203.0.113.5" },
    /* Exim */
    { "250-mx Hello host [203.0.113.5]\n250-SIZE 52428800\n250 HELP", "203.0.113.5" },
    /* Gmail */
    { "smtp.gmail.com at your service, [203.0.113.5]\nSIZE 35882577", "203.0.113.5" },
    /* Microsoft */
    { "BN8PR12CA0012.outlook.office365.com Hello [198.51.100.7]\nSIZE 157286400",
      "198.51.100.7" },
    /* Sendmail */
    { "mx.example.com Hello host.example.net [203.0.113.5], pleased to meet you",
      "203.0.113.5" },
    /* Sendmail's greeting, with the address at the end of a sentence */
    { "mx.example.com ESMTP ready; connection from 198.51.100.7.", "198.51.100.7" },
    { "mx.example.com Hello [IPv6:2001:db8::1]", "2001:db8::1" },
    { "mx.example.com Hello 2001:db8::5, nice to meet you", "2001:db8::5" },
    { "mx.example.com Hello (203.0.113.9)", "203.0.113.9" },
    /* Addresses that cannot be the public one are passed over. */
    { "mx.example.com Hello [192.168.1.5]", NULL },
    { "mx.example.com Hello [127.0.0.1]", NULL },
    { "mx.example.com Hello [100.64.3.4] [203.0.113.5]", "203.0.113.5" },
    { "mx.example.com ESMTP Sendmail 8.15.2/8.15.2; Mon, 1 Jan 2026 12:34:56 +0000", NULL },
    { "mx.example.com ESMTP Postfix", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autoptr(GInetAddress) address = md_reputation_find_client_ip (vectors[i].text, NULL);
      g_autofree char *ip = address != NULL ? g_inet_address_to_string (address) : NULL;

      g_test_message ("%s", vectors[i].text);
      g_assert_cmpstr (ip, ==, vectors[i].ip);
    }

  g_assert_null (md_reputation_find_client_ip (NULL, NULL));
}

/* A server that names its own address is not naming the client's. */
static void
test_client_ip_not_server (void)
{
  g_autoptr(GInetAddress) server = g_inet_address_new_from_string ("198.51.100.7");
  g_autoptr(GList) exclude = g_list_append (NULL, server);
  g_autoptr(GInetAddress) found = NULL;
  g_autofree char *ip = NULL;

  found = md_reputation_find_client_ip ("mx.example.com [198.51.100.7] Hello [203.0.113.5]",
                                        exclude);
  ip = g_inet_address_to_string (found);
  g_assert_cmpstr (ip, ==, "203.0.113.5");

  g_assert_null (md_reputation_find_client_ip ("mx.example.com [198.51.100.7] ESMTP", exclude));
}

static void
test_greeting_host (void)
{
  static const struct
  {
    const char *text;
    const char *host;
  } vectors[] = {
    { "mx.example.com ESMTP Postfix", "mx.example.com" },
    { "220 mx.example.com ESMTP Postfix", "mx.example.com" },
    { "220-MX.Example.COM. ESMTP\nwelcome", "mx.example.com" },
    { "smtp.gmail.com ESMTP a1sm123456wrb.1 - gsmtp", "smtp.gmail.com" },
    { "  mail_1.example.org", "mail_1.example.org" },
    { "ESMTP ready", NULL },
    { "Welcome to our server", NULL },
    { "[192.0.2.1] ESMTP", NULL },
    { "192.0.2.1 ESMTP", NULL },
    { "mx.example.com/ready", NULL },
    { "220", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *host = md_reputation_greeting_host (vectors[i].text);

      g_test_message ("%s", vectors[i].text);
      g_assert_cmpstr (host, ==, vectors[i].host);
    }

  g_assert_null (md_reputation_greeting_host (NULL));
}

/* The probe, through a diagnosis */

typedef struct
{
  MdTestResolver *resolver;
  MdKb           *kb;
  MdAccount      *account;
  MdDiagnosis    *diagnosis;
  MdTestPeer     *peer;
  gint64          elapsed_ms;
} Fixture;

/* A code the zone's own catalogue reads as a listing. */
static const char *
listing_code (Fixture       *f,
              const MdDnsbl *dnsbl)
{
  static const char * const codes[] = { "127.0.0.2", "127.0.1.2", "127.0.0.8" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (md_kb_read_dnsbl_answer (f->kb, dnsbl, codes[i], NULL) == MD_DNSBL_ANSWER_LISTED)
      return codes[i];

  g_assert_not_reached ();
}

/* Every zone answers its RFC 5782 test points as it must. */
static void
add_test_points (Fixture *f)
{
  GPtrArray *dnsbls = md_kb_get_dnsbls (f->kb);

  for (guint i = 0; i < dnsbls->len; i++)
    {
      const MdDnsbl *dnsbl = g_ptr_array_index (dnsbls, i);
      const char *point = dnsbl->kind == MD_DNSBL_KIND_IP ? "2.0.0.127" : "test";
      g_autofree char *name = g_strconcat (point, ".", dnsbl->zone, NULL);

      md_test_resolver_add_address (f->resolver, name, listing_code (f, dnsbl));
    }
}

static const MdDnsbl *
find_dnsbl (Fixture    *f,
            const char *zone)
{
  GPtrArray *dnsbls = md_kb_get_dnsbls (f->kb);

  for (guint i = 0; i < dnsbls->len; i++)
    {
      const MdDnsbl *dnsbl = g_ptr_array_index (dnsbls, i);

      if (g_str_equal (dnsbl->zone, zone))
        return dnsbl;
    }

  g_assert_not_reached ();
}

static guint
count_zones (Fixture     *f,
             MdDnsblKind  kind,
             gboolean     ipv6_only)
{
  GPtrArray *dnsbls = md_kb_get_dnsbls (f->kb);
  guint n = 0;

  for (guint i = 0; i < dnsbls->len; i++)
    {
      const MdDnsbl *dnsbl = g_ptr_array_index (dnsbls, i);

      if (dnsbl->kind == kind && (!ipv6_only || dnsbl->ipv6))
        n++;
    }

  return n;
}

/* "5.113.0.203.<zone>" for CLIENT_IP. */
static char *
client_name (const char *ip,
             const char *zone)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (ip);

  return md_dns_reverse_name (address, zone);
}

static void
list_client (Fixture    *f,
             const char *ip,
             const char *zone,
             const char *code)
{
  g_autofree char *name = client_name (ip, zone);

  md_test_resolver_add_address (f->resolver, name, code);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->resolver = md_test_resolver_new ();
  md_test_resolver_install (f->resolver);
  f->kb = md_kb_new (&error);
  g_assert_no_error (error);

  f->account = md_account_new ();
  md_account_set_email (f->account, "alice@test.example");
  md_account_set_host (f->account, SERVER_HOST);
  md_account_set_port (f->account, md_test_free_port ());
  md_account_set_security (f->account, MD_SECURITY_NONE);
  md_test_resolver_add_address (f->resolver, SERVER_HOST, "127.0.0.3");

  f->diagnosis = md_diagnosis_new (f->account);
  for (MdCheckId id = MD_CHECK_INPUT; id <= MD_CHECK_ERROR_TEXT; id++)
    if (id < MD_CHECK_REP_CLIENT_IP || id > MD_CHECK_REP_DNSBL_DOMAIN)
      md_diagnosis_skip_check (f->diagnosis, id);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->diagnosis);
  g_clear_pointer (&f->peer, md_test_peer_free);
  g_clear_object (&f->account);
  g_clear_object (&f->kb);
  md_test_resolver_uninstall (f->resolver);
  md_test_wait_finalized (g_steal_pointer (&f->resolver), MD_TEST_RELEASE_TIMEOUT_MS);
}

/* A server that greets with @greeting and answers EHLO with @ehlo. */
static void
start_peer (Fixture    *f,
            const char *greeting,
            const char *ehlo)
{
  MdTestScript *script = md_test_script_new ();

  md_test_script_send (script, greeting, -1);
  md_test_script_expect (script);
  md_test_script_send (script, ehlo, -1);
  md_test_script_serve (script, "\r\n");
  /* The peer takes the script. */
  f->peer = md_test_peer_new (script);

  md_account_set_host (f->account, "127.0.0.1");
  md_account_set_port (f->account, md_test_peer_get_port (f->peer));
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
  g_test_message ("%s: %s — %s", md_check_get_id_string (check),
                  md_check_status_to_string (md_check_get_status (check)),
                  md_check_get_summary (check));
  return check;
}

static const char *
zone_value (MdCheck    *check,
            const char *zone)
{
  g_autofree char *key = g_strconcat ("zone:", zone, NULL);

  return md_check_get_evidence (check, key);
}

static const char *
zone_evidence (MdCheck    *check,
               const char *prefix,
               const char *zone)
{
  g_autofree char *key = g_strconcat (prefix, ":", zone, NULL);

  return md_check_get_evidence (check, key);
}

/* How many zones a check has a "zone:" verdict for, and how many with @value. */
static guint
count_values (MdCheck    *check,
              const char *value)
{
  g_auto(GStrv) keys = md_check_dup_evidence_keys (check);
  guint n = 0;

  for (guint i = 0; keys[i] != NULL; i++)
    if (g_str_has_prefix (keys[i], "zone:") &&
        (value == NULL || g_str_equal (md_check_get_evidence (check, keys[i]), value)))
      n++;

  return n;
}

static void
assert_never_listed (MdCheck *check)
{
  g_auto(GStrv) keys = md_check_dup_evidence_keys (check);

  for (guint i = 0; keys[i] != NULL; i++)
    if (g_str_has_prefix (keys[i], "zone:"))
      g_assert_false (g_str_has_prefix (md_check_get_evidence (check, keys[i]), "listed"));
}

static void
test_listed (Fixture       *f,
             gconstpointer  data)
{
  const char * const reason[] = { "Listed by test DNSBL, see ",
                                  "https://example.invalid/lookup?ip=" CLIENT_IP, NULL };
  g_autofree char *zen_name = client_name (CLIENT_IP, "zen.spamhaus.org");
  MdCheck *check;
  guint n_ip_zones = count_zones (f, MD_DNSBL_KIND_IP, FALSE);

  add_test_points (f);
  md_account_set_client_ip (f->account, CLIENT_IP);
  list_client (f, CLIENT_IP, "zen.spamhaus.org", "127.0.0.2");
  list_client (f, CLIENT_IP, "zen.spamhaus.org", "127.0.0.4");
  md_test_resolver_add_txt (f->resolver, zen_name, reason);
  list_client (f, CLIENT_IP, "bl.spamcop.net", "127.0.0.2");
  list_client (f, CLIENT_IP, "all.spamrats.com", "127.0.0.38");
  run (f);

  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  g_assert_cmpstr (md_check_get_evidence (check, "reliable"), ==, "yes");
  g_assert_cmpstr (zone_value (check, "zen.spamhaus.org"), ==, "listed 127.0.0.2,127.0.0.4");
  g_assert_cmpstr (zone_value (check, "bl.spamcop.net"), ==, "listed 127.0.0.2");
  g_assert_cmpstr (zone_value (check, "all.spamrats.com"), ==, "listed 127.0.0.38");
  g_assert_cmpstr (zone_value (check, "b.barracudacentral.org"), ==, "not-listed");
  g_assert_cmpuint (count_values (check, NULL), ==, n_ip_zones);
  g_assert_cmpuint (count_values (check, "not-listed"), ==, n_ip_zones - 3);

  /* Both codes' meanings, the TXT record joined, the delisting page. */
  g_assert_nonnull (strstr (zone_evidence (check, "meaning", "zen.spamhaus.org"),
                            "spam sources"));
  g_assert_nonnull (strstr (zone_evidence (check, "meaning", "zen.spamhaus.org"), "infected"));
  g_assert_cmpstr (zone_evidence (check, "reason", "zen.spamhaus.org"), ==,
                   "Listed by test DNSBL, see https://example.invalid/lookup?ip=" CLIENT_IP);
  g_assert_cmpstr (zone_evidence (check, "delist", "zen.spamhaus.org"), ==,
                   find_dnsbl (f, "zen.spamhaus.org")->delist_url);
  g_assert_nonnull (zone_evidence (check, "meaning", "bl.spamcop.net"));
  g_assert_null (zone_evidence (check, "reason", "bl.spamcop.net"));
  g_assert_null (zone_evidence (check, "meaning", "b.barracudacentral.org"));
  g_assert_null (zone_evidence (check, "delist", "b.barracudacentral.org"));

  g_assert_nonnull (strstr (md_check_get_summary (check), CLIENT_IP));
  g_assert_nonnull (strstr (md_check_get_summary (check), "Spamhaus ZEN"));
  g_assert_nonnull (strstr (md_check_get_summary (check), " 3 blocklists"));

  check = get_check (f, MD_CHECK_REP_CLIENT_IP);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  g_assert_cmpstr (md_check_get_evidence (check, "ip"), ==, CLIENT_IP);
  g_assert_cmpstr (md_check_get_evidence (check, "source"), ==, "option");
}

/* A PBL listing is about the kind of connection, not about spam. */
static void
test_policy (Fixture       *f,
             gconstpointer  data)
{
  MdCheck *check;

  add_test_points (f);
  md_account_set_client_ip (f->account, CLIENT_IP);
  list_client (f, CLIENT_IP, "zen.spamhaus.org", "127.0.0.10");
  list_client (f, CLIENT_IP, "pbl.spamhaus.org", "127.0.0.11");
  run (f);

  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_WARN);
  g_assert_cmpstr (zone_value (check, "zen.spamhaus.org"), ==, "policy 127.0.0.10");
  g_assert_cmpstr (zone_value (check, "pbl.spamhaus.org"), ==, "policy 127.0.0.11");
  g_assert_nonnull (strstr (zone_evidence (check, "meaning", "pbl.spamhaus.org"),
                            "provider's server with a login"));
  g_assert_nonnull (zone_evidence (check, "delist", "pbl.spamhaus.org"));
  g_assert_nonnull (strstr (md_check_get_summary (check), "not a spam accusation"));
  assert_never_listed (check);
}

static void
test_not_listed (Fixture       *f,
                 gconstpointer  data)
{
  MdCheck *check;
  guint n_ip_zones = count_zones (f, MD_DNSBL_KIND_IP, FALSE);
  g_autofree char *count = g_strdup_printf (" %u blocklists", n_ip_zones);

  add_test_points (f);
  md_account_set_client_ip (f->account, CLIENT_IP);
  run (f);

  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  g_assert_cmpstr (md_check_get_evidence (check, "reliable"), ==, "yes");
  g_assert_cmpuint (count_values (check, "not-listed"), ==, n_ip_zones);
  g_assert_nonnull (strstr (md_check_get_summary (check), count));
  g_assert_null (strstr (md_check_get_summary (check), "could not"));
}

/* Spamhaus answers 127.255.255.254 to questions through a public resolver,
 * to the test points too: "could not check", never "listed". */
static void
test_error_answer (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const spamhaus[] = {
    "zen.spamhaus.org", "sbl.spamhaus.org", "xbl.spamhaus.org", "pbl.spamhaus.org",
  };
  MdCheck *check;

  add_test_points (f);
  md_account_set_client_ip (f->account, CLIENT_IP);
  for (guint i = 0; i < G_N_ELEMENTS (spamhaus); i++)
    {
      g_autofree char *point = g_strconcat ("2.0.0.127.", spamhaus[i], NULL);

      md_test_resolver_fail (f->resolver, point, G_RESOLVER_ERROR_NOT_FOUND);
      list_client (f, CLIENT_IP, spamhaus[i], "127.255.255.254");
    }
  md_test_resolver_add_address (f->resolver, "1.0.0.127.zen.spamhaus.org", "127.255.255.254");
  run (f);

  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  g_assert_cmpstr (md_check_get_evidence (check, "reliable"), ==, "no");
  for (guint i = 0; i < G_N_ELEMENTS (spamhaus); i++)
    g_assert_cmpstr (zone_value (check, spamhaus[i]), ==, "error 127.255.255.254");
  g_assert_null (zone_evidence (check, "meaning", "zen.spamhaus.org"));
  g_assert_nonnull (strstr (md_check_get_summary (check), "4 other blocklists could not"));
  assert_never_listed (check);
}

/* Every zone refusing: the check could not be done at all. */
static void
test_error_everywhere (Fixture       *f,
                       gconstpointer  data)
{
  GPtrArray *dnsbls = md_kb_get_dnsbls (f->kb);
  MdCheck *check;

  add_test_points (f);
  md_account_set_client_ip (f->account, CLIENT_IP);
  for (guint i = 0; i < dnsbls->len; i++)
    {
      const MdDnsbl *dnsbl = g_ptr_array_index (dnsbls, i);

      if (dnsbl->kind == MD_DNSBL_KIND_IP)
        list_client (f, CLIENT_IP, dnsbl->zone, "127.255.255.255");
    }
  run (f);

  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_ERROR);
  g_assert_cmpstr (md_check_get_evidence (check, "reliable"), ==, "yes");
  g_assert_cmpstr (md_check_get_summary (check), ==,
                   "Could not check, because the blocklists refused to answer your DNS server "
                   "(for example it is a public DNS service that blocklists refuse).");
  assert_never_listed (check);
}

/* A resolver that makes up an address for every name: the test points
 * show it, and nothing reads as listed. */
static void
test_wildcard (Fixture       *f,
               gconstpointer  data)
{
  GPtrArray *dnsbls = md_kb_get_dnsbls (f->kb);
  MdCheck *check;

  md_account_set_client_ip (f->account, CLIENT_IP);
  for (guint i = 0; i < dnsbls->len; i++)
    {
      const MdDnsbl *dnsbl = g_ptr_array_index (dnsbls, i);
      g_autofree char *listed = g_strconcat ("2.0.0.127.", dnsbl->zone, NULL);
      g_autofree char *unlisted = g_strconcat ("1.0.0.127.", dnsbl->zone, NULL);

      md_test_resolver_add_address (f->resolver, listed, "192.0.2.80");
      md_test_resolver_add_address (f->resolver, unlisted, "192.0.2.80");
      list_client (f, CLIENT_IP, dnsbl->zone, "192.0.2.80");
    }
  run (f);

  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_ERROR);
  g_assert_cmpstr (md_check_get_evidence (check, "reliable"), ==, "no");
  g_assert_cmpstr (zone_value (check, "zen.spamhaus.org"), ==, "error 192.0.2.80");
  g_assert_cmpstr (md_check_get_summary (check), ==,
                   "Could not check, because your DNS server does not answer blocklist "
                   "questions correctly (for example it is a public DNS service that "
                   "blocklists refuse).");
  assert_never_listed (check);
}

static void
test_could_not_ask (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *zen = client_name (CLIENT_IP, "zen.spamhaus.org");
  MdCheck *check;

  add_test_points (f);
  md_account_set_client_ip (f->account, CLIENT_IP);
  md_test_resolver_fail (f->resolver, zen, G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  list_client (f, CLIENT_IP, "bl.spamcop.net", "127.0.0.2");
  run (f);

  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  g_assert_cmpstr (zone_value (check, "zen.spamhaus.org"), ==, "could-not-ask");
  g_assert_cmpstr (zone_value (check, "bl.spamcop.net"), ==, "listed 127.0.0.2");
  g_assert_nonnull (strstr (md_check_get_detail (check), "Temporarily unable"));
  g_assert_nonnull (strstr (md_check_get_summary (check), "1 other blocklist could not"));
}

/* A resolver that answers nothing: "could not check", not "not listed". */
static void
test_could_not_ask_any (Fixture       *f,
                        gconstpointer  data)
{
  GPtrArray *dnsbls = md_kb_get_dnsbls (f->kb);
  MdCheck *check;

  md_account_set_client_ip (f->account, CLIENT_IP);
  for (guint i = 0; i < dnsbls->len; i++)
    {
      const MdDnsbl *dnsbl = g_ptr_array_index (dnsbls, i);
      g_autofree char *name = client_name (CLIENT_IP, dnsbl->zone);
      g_autofree char *listed = g_strconcat ("2.0.0.127.", dnsbl->zone, NULL);
      g_autofree char *unlisted = g_strconcat ("1.0.0.127.", dnsbl->zone, NULL);

      md_test_resolver_fail (f->resolver, name, G_RESOLVER_ERROR_TEMPORARY_FAILURE);
      md_test_resolver_fail (f->resolver, listed, G_RESOLVER_ERROR_TEMPORARY_FAILURE);
      md_test_resolver_fail (f->resolver, unlisted, G_RESOLVER_ERROR_TEMPORARY_FAILURE);
    }
  run (f);

  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_ERROR);
  g_assert_cmpuint (count_values (check, "could-not-ask"), ==,
                    count_zones (f, MD_DNSBL_KIND_IP, FALSE));
  g_assert_cmpstr (md_check_get_summary (check), ==,
                   "Could not check, because the blocklists did not answer.");
}

/* No test points: nothing the lists say can be believed, listings included. */
static void
test_unreliable (Fixture       *f,
                 gconstpointer  data)
{
  MdCheck *check;

  md_account_set_client_ip (f->account, CLIENT_IP);
  list_client (f, CLIENT_IP, "zen.spamhaus.org", "127.0.0.2");
  list_client (f, CLIENT_IP, "bl.spamcop.net", "127.0.0.2");
  md_test_resolver_add_address (f->resolver, "test.dbl.spamhaus.org", "127.0.1.2");
  md_test_resolver_add_address (f->resolver, "invalid.dbl.spamhaus.org", "127.0.1.2");
  run (f);

  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_ERROR);
  g_assert_cmpstr (md_check_get_evidence (check, "reliable"), ==, "no");
  g_assert_cmpuint (count_values (check, "unreliable"), ==,
                    count_zones (f, MD_DNSBL_KIND_IP, FALSE));
  g_assert_cmpstr (md_check_get_summary (check), ==,
                   "Could not check, because your DNS server does not answer blocklist "
                   "questions correctly (for example it is a public DNS service that "
                   "blocklists refuse).");
  g_assert_nonnull (strstr (md_check_get_detail (check), "test points"));
  assert_never_listed (check);

  /* A domain list that lists "invalid" fails its test points too. */
  check = get_check (f, MD_CHECK_REP_DNSBL_DOMAIN);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_ERROR);
  g_assert_cmpstr (zone_value (check, "dbl.spamhaus.org"), ==, "unreliable");
}

/* IPv6: nibble names, and only the zones that answer for IPv6. */
static void
test_ipv6 (Fixture       *f,
           gconstpointer  data)
{
  MdCheck *check;

  add_test_points (f);
  md_account_set_client_ip (f->account, "2001:db8::1");
  md_test_resolver_add_address (f->resolver,
                                "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
                                "zen.spamhaus.org", "127.0.0.3");
  run (f);

  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  g_assert_cmpstr (zone_value (check, "zen.spamhaus.org"), ==, "listed 127.0.0.3");
  g_assert_null (zone_value (check, "bl.spamcop.net"));
  g_assert_cmpuint (count_values (check, NULL), ==, count_zones (f, MD_DNSBL_KIND_IP, TRUE));
}

static void
test_client_from_ehlo (Fixture       *f,
                       gconstpointer  data)
{
  MdCheck *check;

  add_test_points (f);
  start_peer (f, "220 mx.test.example ESMTP\r\n",
              "250-mx.test.example Hello [" CLIENT_IP "]\r\n250 8BITMIME\r\n");
  list_client (f, CLIENT_IP, "bl.spamcop.net", "127.0.0.2");
  run (f);

  check = get_check (f, MD_CHECK_REP_CLIENT_IP);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  g_assert_cmpstr (md_check_get_evidence (check, "ip"), ==, CLIENT_IP);
  g_assert_cmpstr (md_check_get_evidence (check, "source"), ==, "ehlo");

  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpstr (zone_value (check, "bl.spamcop.net"), ==, "listed 127.0.0.2");
}

static void
test_client_from_greeting (Fixture       *f,
                           gconstpointer  data)
{
  MdCheck *check;

  add_test_points (f);
  start_peer (f, "220 mx.test.example ESMTP ready for [IPv6:2001:db8::7]\r\n",
              "250-mx.test.example Hello [198.51.100.9]\r\n250 8BITMIME\r\n");
  run (f);

  check = get_check (f, MD_CHECK_REP_CLIENT_IP);
  g_assert_cmpstr (md_check_get_evidence (check, "ip"), ==, "2001:db8::7");
  g_assert_cmpstr (md_check_get_evidence (check, "source"), ==, "greeting");
}

/* The peer is on 127.0.0.1 and names no address: nothing public to use. */
static void
test_no_client_ip (Fixture       *f,
                   gconstpointer  data)
{
  MdCheck *check;

  add_test_points (f);
  start_peer (f, "220 mx.test.example ESMTP\r\n",
              "250-mx.test.example Hello [127.0.0.1]\r\n250 8BITMIME\r\n");
  run (f);

  check = get_check (f, MD_CHECK_REP_CLIENT_IP);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_SKIP);
  g_assert_cmpstr (md_check_get_evidence (check, "reason"), ==, "unknown");
  g_assert_nonnull (strstr (md_check_get_summary (check), "what is my IP"));

  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_SKIP);

  /* The server's side is still checked. */
  check = get_check (f, MD_CHECK_REP_DNSBL_SERVER);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  g_assert_cmpstr (zone_value (check, "bl.spamcop.net"), ==, "not-listed");
}

static void
test_server_listed (Fixture       *f,
                    gconstpointer  data)
{
  MdCheck *check;

  add_test_points (f);
  md_test_resolver_add_address (f->resolver, "3.0.0.127.bl.spamcop.net", "127.0.0.2");
  run (f);

  check = get_check (f, MD_CHECK_REP_DNSBL_SERVER);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  g_assert_cmpstr (zone_value (check, "bl.spamcop.net"), ==, "listed 127.0.0.2");
  g_assert_cmpstr (zone_value (check, "zen.spamhaus.org"), ==, "not-listed");
  g_assert_nonnull (zone_evidence (check, "delist", "bl.spamcop.net"));
  g_assert_nonnull (strstr (md_check_get_summary (check), "contact your provider"));
}

/* With several addresses each value says which one it is about. */
static void
test_server_several (Fixture       *f,
                     gconstpointer  data)
{
  MdCheck *check;

  add_test_points (f);
  md_test_resolver_add_address (f->resolver, SERVER_HOST, "127.0.0.4");
  md_test_resolver_add_address (f->resolver, "4.0.0.127.bl.spamcop.net", "127.0.0.2");
  run (f);

  check = get_check (f, MD_CHECK_REP_DNSBL_SERVER);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  g_assert_cmpstr (zone_value (check, "bl.spamcop.net"), ==,
                   "127.0.0.3 not-listed; 127.0.0.4 listed 127.0.0.2");
  g_assert_cmpstr (zone_value (check, "zen.spamhaus.org"), ==,
                   "127.0.0.3 not-listed; 127.0.0.4 not-listed");
  g_assert_nonnull (strstr (zone_evidence (check, "meaning", "bl.spamcop.net"), "127.0.0.4 "));
}

static void
test_domain_listed (Fixture       *f,
                    gconstpointer  data)
{
  MdCheck *check;

  add_test_points (f);
  md_account_set_email (f->account, "alice@Spam.Test.Example");
  md_test_resolver_add_address (f->resolver, "spam.test.example.dbl.spamhaus.org",
                                "127.0.1.2");
  md_test_resolver_add_address (f->resolver, "spam.test.example.multi.uribl.com", "127.0.0.1");
  run (f);

  check = get_check (f, MD_CHECK_REP_DNSBL_DOMAIN);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  g_assert_cmpstr (md_check_get_evidence (check, "reliable"), ==, "yes");
  g_assert_cmpstr (zone_value (check, "dbl.spamhaus.org"), ==, "listed 127.0.1.2");
  /* URIBL's 127.0.0.1 is its "you are blocked" answer, not a listing. */
  g_assert_cmpstr (zone_value (check, "multi.uribl.com"), ==, "error 127.0.0.1");
  g_assert_cmpstr (zone_value (check, "multi.surbl.org"), ==, "not-listed");
  g_assert_cmpuint (count_values (check, NULL), ==,
                    count_zones (f, MD_DNSBL_KIND_DOMAIN, FALSE));
  g_assert_nonnull (strstr (md_check_get_summary (check), "spam.test.example"));

  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_SKIP);
}

static void
test_rdns_confirmed (Fixture       *f,
                     gconstpointer  data)
{
  MdCheck *check;

  add_test_points (f);
  start_peer (f, "220 mx.test.example ESMTP\r\n", "250 mx.test.example\r\n");
  md_account_set_client_ip (f->account, CLIENT_IP);
  md_test_resolver_add_ptr (f->resolver, CLIENT_IP, "host5.example.net");
  md_test_resolver_add_address (f->resolver, "host5.example.net", CLIENT_IP);
  md_test_resolver_add_ptr (f->resolver, "127.0.0.1", "mx.test.example");
  md_test_resolver_add_address (f->resolver, "mx.test.example", "127.0.0.1");
  run (f);

  check = get_check (f, MD_CHECK_REP_RDNS);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  g_assert_cmpstr (md_check_get_evidence (check, "client_ptr"), ==, "host5.example.net");
  g_assert_cmpstr (md_check_get_evidence (check, "client_forward_confirmed"), ==, "yes");
  g_assert_cmpstr (md_check_get_evidence (check, "server_ptr"), ==, "mx.test.example");
  g_assert_cmpstr (md_check_get_evidence (check, "server_forward_confirmed"), ==, "yes");
  g_assert_cmpstr (md_check_get_evidence (check, "greeting_host"), ==, "mx.test.example");
  g_assert_cmpstr (md_check_get_evidence (check, "greeting_matches_ptr"), ==, "yes");
}

static void
test_rdns_not_confirmed (Fixture       *f,
                         gconstpointer  data)
{
  MdCheck *check;

  add_test_points (f);
  start_peer (f, "220 smtp.test.example ESMTP\r\n", "250 smtp.test.example\r\n");
  md_account_set_client_ip (f->account, CLIENT_IP);
  md_test_resolver_add_ptr (f->resolver, CLIENT_IP, "dyn-203-0-113-5.example.net");
  md_test_resolver_add_address (f->resolver, "dyn-203-0-113-5.example.net", "203.0.113.99");
  md_test_resolver_add_ptr (f->resolver, "127.0.0.1", "mx.test.example");
  run (f);

  check = get_check (f, MD_CHECK_REP_RDNS);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_WARN);
  g_assert_cmpstr (md_check_get_evidence (check, "client_ptr"), ==,
                   "dyn-203-0-113-5.example.net");
  g_assert_cmpstr (md_check_get_evidence (check, "client_forward_confirmed"), ==, "no");
  g_assert_cmpstr (md_check_get_evidence (check, "server_forward_confirmed"), ==, "no");
  g_assert_cmpstr (md_check_get_evidence (check, "greeting_host"), ==, "smtp.test.example");
  g_assert_cmpstr (md_check_get_evidence (check, "greeting_matches_ptr"), ==, "no");
}

/* Without a name for the client's address: a warning that says why. */
static void
test_rdns_missing (Fixture       *f,
                   gconstpointer  data)
{
  MdCheck *check;

  add_test_points (f);
  md_account_set_client_ip (f->account, CLIENT_IP);
  md_test_resolver_add_ptr (f->resolver, "127.0.0.3", "mx.test.example");
  md_test_resolver_add_address (f->resolver, "mx.test.example", "127.0.0.3");
  run (f);

  check = get_check (f, MD_CHECK_REP_RDNS);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_WARN);
  g_assert_cmpstr (md_check_get_evidence (check, "client_ptr"), ==, "");
  g_assert_cmpstr (md_check_get_evidence (check, "client_forward_confirmed"), ==, "no");
  g_assert_cmpstr (md_check_get_evidence (check, "server_forward_confirmed"), ==, "yes");
  g_assert_cmpstr (md_check_get_evidence (check, "greeting_matches_ptr"), ==, "unknown");
  g_assert_nonnull (strstr (md_check_get_summary (check), "has no name"));
}

/* A zone that never answers costs its own deadline (5 s), not the run's. */
static void
test_hung_zone (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *zen = client_name (CLIENT_IP, "zen.spamhaus.org");
  MdCheck *check;

  add_test_points (f);
  md_account_set_client_ip (f->account, CLIENT_IP);
  md_test_resolver_hang (f->resolver, zen);
  md_test_resolver_hang (f->resolver, "2.0.0.127.bl.spamcop.net");
  list_client (f, CLIENT_IP, "psbl.surriel.com", "127.0.0.2");
  run (f);

  g_assert_cmpint (f->elapsed_ms, >=, 4900);
  g_assert_cmpint (f->elapsed_ms, <, 6500);
  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  g_assert_cmpstr (zone_value (check, "zen.spamhaus.org"), ==, "could-not-ask");
  g_assert_cmpstr (zone_value (check, "bl.spamcop.net"), ==, "unreliable");
  g_assert_cmpstr (zone_value (check, "psbl.surriel.com"), ==, "listed 127.0.0.2");
  g_assert_cmpstr (zone_value (check, "b.barracudacentral.org"), ==, "not-listed");
}

/* Every question of the first wave goes out at once, and the run's
 * deadline ends them all. */
static void
test_concurrent (Fixture       *f,
                 gconstpointer  data)
{
  GPtrArray *dnsbls = md_kb_get_dnsbls (f->kb);
  MdCheck *check;

  add_test_points (f);
  md_account_set_client_ip (f->account, CLIENT_IP);
  /* Every question hangs: the run ends at its deadline only if they were
   * all asked at once, not one after the other. */
  for (guint i = 0; i < dnsbls->len; i++)
    {
      const MdDnsbl *dnsbl = g_ptr_array_index (dnsbls, i);
      g_autofree char *name = client_name (CLIENT_IP, dnsbl->zone);

      md_test_resolver_hang (f->resolver, name);
    }
  md_diagnosis_set_timeout_ms (f->diagnosis, 1000);
  run (f);

  g_assert_cmpint (f->elapsed_ms, <, 2000);
  check = get_check (f, MD_CHECK_REP_DNSBL);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_ERROR);
  g_assert_cmpuint (count_values (check, "could-not-ask"), ==,
                    count_zones (f, MD_DNSBL_KIND_IP, FALSE));
}

/* Skipped checks ask nothing and report nothing. */
static void
test_skipped (Fixture       *f,
              gconstpointer  data)
{
  MdCheck *check;

  /* An address literal: the session asks no DNS question either. */
  md_account_set_host (f->account, "127.0.0.3");
  md_account_set_client_ip (f->account, CLIENT_IP);
  md_diagnosis_skip_check (f->diagnosis, MD_CHECK_REP_DNSBL);
  md_diagnosis_skip_check (f->diagnosis, MD_CHECK_REP_DNSBL_SERVER);
  md_diagnosis_skip_check (f->diagnosis, MD_CHECK_REP_DNSBL_DOMAIN);
  md_diagnosis_skip_check (f->diagnosis, MD_CHECK_REP_RDNS);
  run (f);

  check = get_check (f, MD_CHECK_REP_CLIENT_IP);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_PASS);
  g_assert_cmpuint (g_list_model_get_n_items (md_diagnosis_get_checks (f->diagnosis)), ==, 1);
  g_assert_cmpuint (md_test_resolver_get_n_lookups (f->resolver), ==, 0);
}

static void
add_probe_test (const char *name,
                void      (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/md/core/reputation/", name, NULL);

  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/md/core/reputation/public", test_public);
  g_test_add_func ("/md/core/reputation/client-ip-wordings", test_client_ip_wordings);
  g_test_add_func ("/md/core/reputation/client-ip-not-server", test_client_ip_not_server);
  g_test_add_func ("/md/core/reputation/greeting-host", test_greeting_host);

  add_probe_test ("listed", test_listed);
  add_probe_test ("policy", test_policy);
  add_probe_test ("not-listed", test_not_listed);
  add_probe_test ("error-answer", test_error_answer);
  add_probe_test ("error-everywhere", test_error_everywhere);
  add_probe_test ("wildcard", test_wildcard);
  add_probe_test ("could-not-ask", test_could_not_ask);
  add_probe_test ("could-not-ask-any", test_could_not_ask_any);
  add_probe_test ("unreliable", test_unreliable);
  add_probe_test ("ipv6", test_ipv6);
  add_probe_test ("client-from-ehlo", test_client_from_ehlo);
  add_probe_test ("client-from-greeting", test_client_from_greeting);
  add_probe_test ("no-client-ip", test_no_client_ip);
  add_probe_test ("server-listed", test_server_listed);
  add_probe_test ("server-several", test_server_several);
  add_probe_test ("domain-listed", test_domain_listed);
  add_probe_test ("rdns-confirmed", test_rdns_confirmed);
  add_probe_test ("rdns-not-confirmed", test_rdns_not_confirmed);
  add_probe_test ("rdns-missing", test_rdns_missing);
  add_probe_test ("hung-zone", test_hung_zone);
  add_probe_test ("concurrent", test_concurrent);
  add_probe_test ("skipped", test_skipped);

  return g_test_run ();
}
