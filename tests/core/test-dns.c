/* test-dns.c: MdDns against the fake resolver, for every record shape and failure
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fake answers the way GIO's resolver does against a real server
 * (anchors-reliability.md §4), so these cases also hold the fake to that:
 * NXDOMAIN and NODATA alike, TXT strings apart, answers never inside the
 * call, silence until cancelled.
 */

#include <locale.h>
#include <string.h>

#include "md-dns.h"
#include "md-test-resolver.h"
#include "md-test-utils.h"

#define WAIT_MS 5000
#define N_CONCURRENT 50

typedef struct
{
  MdTestResolver *resolver;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->resolver = md_test_resolver_new ();
  md_test_resolver_install (fixture->resolver);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  md_test_resolver_uninstall (fixture->resolver);

  /* Lookups cut short by their deadline give the resolver back once their
   * worker returns. */
  md_test_wait_finalized (g_steal_pointer (&fixture->resolver), MD_TEST_RELEASE_TIMEOUT_MS);
}

static MdDnsAnswer *
lookup_full (GResolver    *resolver,
             const char   *name,
             MdDnsType     type,
             guint         timeout_ms,
             GCancellable *cancellable,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  md_dns_lookup_async (resolver, name, type, timeout_ms, cancellable,
                       md_test_store_result, &result);
  /* A real resolver never answers inside the call; neither may we. */
  g_assert_null (result);

  md_test_wait_result (&result, WAIT_MS);
  return md_dns_lookup_finish (result, error);
}

static MdDnsAnswer *
lookup (const char *name,
        MdDnsType   type)
{
  g_autoptr(GError) error = NULL;
  MdDnsAnswer *answer = lookup_full (NULL, name, type, 2000, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_cmpstr (answer->name, ==, name);
  g_assert_cmpint (answer->type, ==, type);
  g_assert_nonnull (answer->values);
  g_assert_nonnull (answer->hosts);

  return answer;
}

static void
assert_host (MdDnsAnswer *answer,
             guint        index,
             guint16      priority,
             guint16      weight,
             guint16      port,
             const char  *host)
{
  MdDnsHost *found;

  g_assert_cmpuint (index, <, answer->hosts->len);
  found = g_ptr_array_index (answer->hosts, index);
  g_assert_cmpuint (found->priority, ==, priority);
  g_assert_cmpuint (found->weight, ==, weight);
  g_assert_cmpuint (found->port, ==, port);
  g_assert_cmpstr (found->host, ==, host);
}

static void
test_address (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MdDnsAnswer) answer = NULL;
  g_autoptr(MdDnsAnswer) folded = NULL;
  const char * const expected[] = { "127.0.0.1", "::1", NULL };

  md_test_resolver_add_address (fixture->resolver, "mx.test.example", "127.0.0.1");
  md_test_resolver_add_address (fixture->resolver, "mx.test.example", "::1");

  answer = lookup ("mx.test.example", MD_DNS_ADDRESS);
  g_assert_cmpint (answer->status, ==, MD_DNS_STATUS_FOUND);
  g_assert_cmpstrv (answer->values, expected);
  g_assert_cmpuint (answer->hosts->len, ==, 0);
  g_assert_null (answer->detail);

  /* DNS names are case-insensitive and may end with the root's dot. */
  folded = lookup ("MX.Test.Example.", MD_DNS_ADDRESS);
  g_assert_cmpint (folded->status, ==, MD_DNS_STATUS_FOUND);
  g_assert_cmpstrv (folded->values, expected);

  g_assert_cmpuint (md_test_resolver_get_n_lookups (fixture->resolver), ==, 2);
}

static void
test_ipv4_only (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MdDnsAnswer) answer = NULL;
  g_autoptr(MdDnsAnswer) v6_only = NULL;
  const char * const expected[] = { "127.0.0.2", NULL };

  md_test_resolver_add_address (fixture->resolver, "2.0.0.127.zen.test.example", "::1");
  md_test_resolver_add_address (fixture->resolver, "2.0.0.127.zen.test.example", "127.0.0.2");
  md_test_resolver_add_address (fixture->resolver, "v6.test.example", "2001:db8::25");

  answer = lookup ("2.0.0.127.zen.test.example", MD_DNS_IPV4);
  g_assert_cmpint (answer->status, ==, MD_DNS_STATUS_FOUND);
  g_assert_cmpstrv (answer->values, expected);

  /* Blocklists answer in IPv4: an IPv6-only name has no such answer. */
  v6_only = lookup ("v6.test.example", MD_DNS_IPV4);
  g_assert_cmpint (v6_only->status, ==, MD_DNS_STATUS_NOT_FOUND);
  g_assert_cmpstrv (v6_only->values, (const char * const []) { NULL });
}

static void
test_mx_sorted (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MdDnsAnswer) answer = NULL;

  md_test_resolver_add_mx (fixture->resolver, "test.example", 20, "mx2.test.example.");
  md_test_resolver_add_mx (fixture->resolver, "test.example", 10, "mx1b.test.example.");
  md_test_resolver_add_mx (fixture->resolver, "test.example", 30, "mx3.test.example");
  md_test_resolver_add_mx (fixture->resolver, "test.example", 10, "mx1a.test.example.");

  answer = lookup ("test.example", MD_DNS_MX);
  g_assert_cmpint (answer->status, ==, MD_DNS_STATUS_FOUND);
  g_assert_cmpuint (answer->hosts->len, ==, 4);
  /* Equal preferences fall back on the name, for a stable order. */
  assert_host (answer, 0, 10, 0, 0, "mx1a.test.example");
  assert_host (answer, 1, 10, 0, 0, "mx1b.test.example");
  assert_host (answer, 2, 20, 0, 0, "mx2.test.example");
  assert_host (answer, 3, 30, 0, 0, "mx3.test.example");
  g_assert_cmpstrv (answer->values, (const char * const []) { NULL });
}

static void
test_srv_sorted (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MdDnsAnswer) answer = NULL;
  g_autoptr(MdDnsAnswer) none = NULL;

  md_test_resolver_add_srv (fixture->resolver, "_submission._tcp.test.example",
                            10, 5, 587, "b.test.example.");
  md_test_resolver_add_srv (fixture->resolver, "_submission._tcp.test.example",
                            10, 60, 587, "c.test.example.");
  md_test_resolver_add_srv (fixture->resolver, "_submission._tcp.test.example",
                            0, 0, 465, "a.test.example.");
  /* RFC 2782: a target of "." says the service is decidedly not offered. */
  md_test_resolver_add_srv (fixture->resolver, "_imap._tcp.test.example", 0, 0, 0, ".");

  answer = lookup ("_submission._tcp.test.example", MD_DNS_SRV);
  g_assert_cmpint (answer->status, ==, MD_DNS_STATUS_FOUND);
  g_assert_cmpuint (answer->hosts->len, ==, 3);
  assert_host (answer, 0, 0, 0, 465, "a.test.example");
  /* Among equal priorities the heaviest comes first. */
  assert_host (answer, 1, 10, 60, 587, "c.test.example");
  assert_host (answer, 2, 10, 5, 587, "b.test.example");

  none = lookup ("_imap._tcp.test.example", MD_DNS_SRV);
  g_assert_cmpint (none->status, ==, MD_DNS_STATUS_FOUND);
  g_assert_cmpuint (none->hosts->len, ==, 1);
  assert_host (none, 0, 0, 0, 0, "");
}

static void
test_txt_joined (Fixture       *fixture,
                 gconstpointer  data)
{
  const char * const dkim[] = { "v=DKIM1; k=rsa; p=MIIB", "AQAB", NULL };
  g_autofree char *head = g_strnfill (200, 'a');
  g_autofree char *spf_start = g_strconcat ("v=spf1 ", head, " in", NULL);
  const char * const spf[] = { spf_start, "clude:_spf.test.example -all", NULL };
  g_autofree char *spf_joined = g_strconcat (spf_start, "clude:_spf.test.example -all", NULL);
  g_autoptr(MdDnsAnswer) dkim_answer = NULL;
  g_autoptr(MdDnsAnswer) spf_answer = NULL;

  md_test_resolver_add_txt (fixture->resolver, "sel1._domainkey.test.example", dkim);
  md_test_resolver_add_txt (fixture->resolver, "long.test.example", spf);

  dkim_answer = lookup ("sel1._domainkey.test.example", MD_DNS_TXT);
  g_assert_cmpint (dkim_answer->status, ==, MD_DNS_STATUS_FOUND);
  /* RFC 7208 §3.3: the strings join with nothing between them. */
  g_assert_cmpstrv (dkim_answer->values,
                    ((const char * const []) { "v=DKIM1; k=rsa; p=MIIBAQAB", NULL }));

  spf_answer = lookup ("long.test.example", MD_DNS_TXT);
  g_assert_cmpstrv (spf_answer->values, ((const char * const []) { spf_joined, NULL }));
}

static void
test_txt_several (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MdDnsAnswer) answer = NULL;

  md_test_resolver_add_txt (fixture->resolver, "twospf.test.example",
                            (const char * const []) { "v=spf1 -all", NULL });
  md_test_resolver_add_txt (fixture->resolver, "twospf.test.example",
                            (const char * const []) { "v=spf1 ", "+all", NULL });

  answer = lookup ("twospf.test.example", MD_DNS_TXT);
  g_assert_cmpint (answer->status, ==, MD_DNS_STATUS_FOUND);
  /* One value per record; a server gives them in any order. */
  g_assert_cmpuint (g_strv_length (answer->values), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) answer->values, "v=spf1 -all"));
  g_assert_true (g_strv_contains ((const char * const *) answer->values, "v=spf1 +all"));
}

static GStrv
split_txt (gsize total)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new ();

  for (gsize done = 0; done < total; done += 255)
    g_ptr_array_add (strings, g_strnfill (MIN (255, total - done), 'x'));
  g_ptr_array_add (strings, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&strings), FALSE);
}

static void
test_txt_oversized (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(GStrv) at_limit = split_txt (8192);
  g_auto(GStrv) too_long = split_txt (8193);
  g_autoptr(MdDnsAnswer) mixed = NULL;
  g_autoptr(MdDnsAnswer) only_long = NULL;

  md_test_resolver_add_txt (fixture->resolver, "big.test.example", (const char * const *) too_long);
  md_test_resolver_add_txt (fixture->resolver, "big.test.example", (const char * const *) at_limit);
  md_test_resolver_add_txt (fixture->resolver, "big.test.example",
                            (const char * const []) { "v=spf1 -all", NULL });
  md_test_resolver_add_txt (fixture->resolver, "huge.test.example",
                            (const char * const *) too_long);

  /* The long record is left out, not cut: half a record reads as another. */
  mixed = lookup ("big.test.example", MD_DNS_TXT);
  g_assert_cmpint (mixed->status, ==, MD_DNS_STATUS_FOUND);
  g_assert_cmpuint (g_strv_length (mixed->values), ==, 2);
  g_assert_cmpuint (strlen (mixed->values[0]), ==, 8192);
  g_assert_cmpstr (mixed->values[1], ==, "v=spf1 -all");
  g_assert_nonnull (mixed->detail);
  g_assert_nonnull (strstr (mixed->detail, "8193"));

  only_long = lookup ("huge.test.example", MD_DNS_TXT);
  g_assert_cmpint (only_long->status, ==, MD_DNS_STATUS_FAILED);
  g_assert_cmpstrv (only_long->values, (const char * const []) { NULL });
  g_assert_nonnull (strstr (only_long->detail, "8193"));
}

static void
test_caps (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(MdDnsAnswer) addresses = NULL;
  g_autoptr(MdDnsAnswer) mx = NULL;

  for (guint i = 0; i < 70; i++)
    {
      g_autofree char *address = g_strdup_printf ("192.0.2.%u", i);
      g_autofree char *exchange = g_strdup_printf ("mx%02u.test.example", i);

      md_test_resolver_add_address (fixture->resolver, "many.test.example", address);
      /* Backwards, so that the kept ones must be picked after sorting. */
      md_test_resolver_add_mx (fixture->resolver, "many.test.example", 70 - i, exchange);
    }

  addresses = lookup ("many.test.example", MD_DNS_ADDRESS);
  g_assert_cmpint (addresses->status, ==, MD_DNS_STATUS_FOUND);
  g_assert_cmpuint (g_strv_length (addresses->values), ==, 64);
  g_assert_nonnull (strstr (addresses->detail, "64 of 70"));

  mx = lookup ("many.test.example", MD_DNS_MX);
  g_assert_cmpuint (mx->hosts->len, ==, 64);
  assert_host (mx, 0, 1, 0, 0, "mx69.test.example");
  assert_host (mx, 63, 64, 0, 0, "mx06.test.example");
  g_assert_nonnull (strstr (mx->detail, "64 of 70"));
}

static void
test_ptr (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(MdDnsAnswer) v4 = NULL;
  g_autoptr(MdDnsAnswer) v6 = NULL;
  g_autoptr(MdDnsAnswer) none = NULL;
  g_autoptr(MdDnsAnswer) bad = NULL;

  md_test_resolver_add_ptr (fixture->resolver, "192.0.2.25", "mail.test.example.");
  md_test_resolver_add_ptr (fixture->resolver, "2001:db8::25", "mail6.test.example");

  v4 = lookup ("192.0.2.25", MD_DNS_PTR);
  g_assert_cmpint (v4->status, ==, MD_DNS_STATUS_FOUND);
  g_assert_cmpstrv (v4->values, ((const char * const []) { "mail.test.example", NULL }));

  /* Any spelling of the address asks the same question. */
  v6 = lookup ("2001:DB8:0::25", MD_DNS_PTR);
  g_assert_cmpint (v6->status, ==, MD_DNS_STATUS_FOUND);
  g_assert_cmpstrv (v6->values, ((const char * const []) { "mail6.test.example", NULL }));

  none = lookup ("192.0.2.26", MD_DNS_PTR);
  g_assert_cmpint (none->status, ==, MD_DNS_STATUS_NOT_FOUND);
  g_assert_nonnull (none->detail);

  g_assert_cmpuint (md_test_resolver_get_n_lookups (fixture->resolver), ==, 3);

  /* Not an address: no question is sent, and no crash. */
  bad = lookup ("mail.test.example", MD_DNS_PTR);
  g_assert_cmpint (bad->status, ==, MD_DNS_STATUS_FAILED);
  g_assert_nonnull (strstr (bad->detail, "mail.test.example"));
  g_assert_cmpuint (md_test_resolver_get_n_lookups (fixture->resolver), ==, 3);
}

static void
assert_status (const char  *name,
               MdDnsType    type,
               MdDnsStatus  status)
{
  g_autoptr(MdDnsAnswer) answer = lookup (name, type);

  g_assert_cmpint (answer->status, ==, status);
  g_assert_cmpstrv (answer->values, (const char * const []) { NULL });
  g_assert_cmpuint (answer->hosts->len, ==, 0);
  /* The resolver's own words, for the technical detail. */
  g_assert_nonnull (answer->detail);
  g_assert_nonnull (strstr (answer->detail, name));
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  md_test_resolver_add_address (fixture->resolver, "mx.test.example", "127.0.0.1");
  md_test_resolver_add_txt (fixture->resolver, "test.example",
                            (const char * const []) { "v=spf1 -all", NULL });

  /* NXDOMAIN. */
  assert_status ("nothere.test.example", MD_DNS_TXT, MD_DNS_STATUS_NOT_FOUND);
  assert_status ("nothere.test.example", MD_DNS_MX, MD_DNS_STATUS_NOT_FOUND);
  assert_status ("nothere.test.example", MD_DNS_ADDRESS, MD_DNS_STATUS_NOT_FOUND);
  assert_status ("1.0.0.127.zen.test.example", MD_DNS_IPV4, MD_DNS_STATUS_NOT_FOUND);
  /* NODATA: the name exists with records of other types only. */
  assert_status ("mx.test.example", MD_DNS_TXT, MD_DNS_STATUS_NOT_FOUND);
  assert_status ("test.example", MD_DNS_MX, MD_DNS_STATUS_NOT_FOUND);
  assert_status ("test.example", MD_DNS_SRV, MD_DNS_STATUS_NOT_FOUND);
  assert_status ("test.example", MD_DNS_ADDRESS, MD_DNS_STATUS_NOT_FOUND);
}

static void
test_failed (Fixture       *fixture,
             gconstpointer  data)
{
  /* SERVFAIL, REFUSED and "no server" all come as TEMPORARY_FAILURE. */
  md_test_resolver_fail (fixture->resolver, "servfail.test.example",
                         G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  md_test_resolver_fail (fixture->resolver, "refused.test.example",
                         G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  md_test_resolver_fail (fixture->resolver, "internal.test.example", G_RESOLVER_ERROR_INTERNAL);
  md_test_resolver_fail (fixture->resolver, "192.0.2.53", G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  /* A failure wins over records: the server was never reached. */
  md_test_resolver_add_address (fixture->resolver, "servfail.test.example", "192.0.2.1");

  assert_status ("servfail.test.example", MD_DNS_TXT, MD_DNS_STATUS_FAILED);
  assert_status ("servfail.test.example", MD_DNS_ADDRESS, MD_DNS_STATUS_FAILED);
  assert_status ("refused.test.example", MD_DNS_MX, MD_DNS_STATUS_FAILED);
  assert_status ("refused.test.example", MD_DNS_IPV4, MD_DNS_STATUS_FAILED);
  assert_status ("internal.test.example", MD_DNS_SRV, MD_DNS_STATUS_FAILED);
  assert_status ("192.0.2.53", MD_DNS_PTR, MD_DNS_STATUS_FAILED);
}

static void
test_timed_out (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdDnsAnswer) answer = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed_ms;

  md_test_resolver_hang (fixture->resolver, "slow.test.example");

  answer = lookup_full (NULL, "slow.test.example", MD_DNS_TXT, 200, NULL, &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  /* Running out of time is an answer, not an error. */
  g_assert_no_error (error);
  g_assert_cmpint (answer->status, ==, MD_DNS_STATUS_TIMED_OUT);
  g_assert_nonnull (answer->detail);
  g_assert_cmpint (elapsed_ms, >=, 195);
  g_assert_cmpint (elapsed_ms, <=, 300);
  g_assert_cmpuint (answer->duration_ms, >=, 195);
  g_assert_cmpuint (answer->duration_ms, <=, 300);
}

static void
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) already = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error_already = NULL;
  g_autoptr(MdDnsAnswer) answer = NULL;
  g_autoptr(MdDnsAnswer) answer_already = NULL;
  gint64 start = g_get_monotonic_time ();

  md_test_resolver_hang (fixture->resolver, "slow.test.example");
  md_test_resolver_add_address (fixture->resolver, "mx.test.example", "127.0.0.1");

  g_timeout_add_once (50, cancel_later, cancellable);
  answer = lookup_full (NULL, "slow.test.example", MD_DNS_ADDRESS, 10000, cancellable, &error);

  /* The caller's own cancellation is the one error there is. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (answer);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 500 * 1000);

  g_cancellable_cancel (already);
  answer_already = lookup_full (NULL, "mx.test.example", MD_DNS_ADDRESS, 10000, already,
                                &error_already);
  g_assert_error (error_already, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (answer_already);
}

static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  data)
{
  GAsyncResult *results[N_CONCURRENT] = { NULL, };

  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      g_autofree char *name = g_strdup_printf ("host%u.test.example", i);
      g_autofree char *address = g_strdup_printf ("192.0.2.%u", i + 1);

      md_test_resolver_add_address (fixture->resolver, name, address);
    }

  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      g_autofree char *name = g_strdup_printf ("host%u.test.example", i);

      md_dns_lookup_async (NULL, name, MD_DNS_IPV4, 2000, NULL, md_test_store_result, &results[i]);
    }

  /* All of them are asked before any answer comes back: the questions go
   * out from worker threads, and no answer can be delivered while this
   * thread does not iterate its main context. */
  for (guint waited_ms = 0;
       md_test_resolver_get_n_lookups (fixture->resolver) < N_CONCURRENT && waited_ms < WAIT_MS;
       waited_ms++)
    g_usleep (1000);
  g_assert_cmpuint (md_test_resolver_get_n_lookups (fixture->resolver), ==, N_CONCURRENT);

  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MdDnsAnswer) answer = NULL;
      g_autofree char *expected = g_strdup_printf ("192.0.2.%u", i + 1);

      answer = md_dns_lookup_finish (md_test_wait_result (&results[i], WAIT_MS), &error);
      g_assert_no_error (error);
      g_assert_cmpint (answer->status, ==, MD_DNS_STATUS_FOUND);
      g_assert_cmpstrv (answer->values, ((const char * const []) { expected, NULL }));
      g_clear_object (&results[i]);
    }

  g_assert_cmpuint (md_test_resolver_get_n_lookups (fixture->resolver), ==, N_CONCURRENT);
}

static void
test_bad_names (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *label_64 = g_strnfill (64, 'a');
  g_autofree char *long_label = g_strconcat (label_64, ".test.example", NULL);
  g_autofree char *label_63 = g_strnfill (63, 'a');
  /* 4 × 63 + 3 dots: 255, over the 253 a name may have. */
  g_autofree char *too_long = g_strjoin (".", label_63, label_63, label_63, label_63, NULL);
  /* 3 × 63 + 3 dots + 61: 253, the most there may be. */
  g_autofree char *label_61 = g_strnfill (61, 'b');
  g_autofree char *longest = g_strjoin (".", label_63, label_63, label_63, label_61, NULL);
  const char *bad[] = { "", ".", "a b.test.example", "tab\t.test.example",
                        "line\n.test.example", "a..test.example", ".test.example",
                        long_label, too_long };
  g_autoptr(MdDnsAnswer) asked = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(MdDnsAnswer) answer = lookup (bad[i], MD_DNS_TXT);

      g_assert_cmpint (answer->status, ==, MD_DNS_STATUS_FAILED);
      g_assert_nonnull (answer->detail);
    }
  g_assert_cmpuint (md_test_resolver_get_n_lookups (fixture->resolver), ==, 0);

  g_assert_cmpuint (strlen (longest), ==, 253);
  asked = lookup (longest, MD_DNS_TXT);
  g_assert_cmpint (asked->status, ==, MD_DNS_STATUS_NOT_FOUND);
  g_assert_cmpuint (md_test_resolver_get_n_lookups (fixture->resolver), ==, 1);
}

static void
assert_reverse (const char *literal,
                const char *zone,
                const char *expected)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (literal);
  g_autofree char *name = md_dns_reverse_name (address, zone);

  g_assert_cmpstr (name, ==, expected);
}

static void
test_reverse_name (void)
{
  /* RFC 5782 §2.1 and §5: the test points, and the kb's worked examples. */
  assert_reverse ("127.0.0.2", "zen.spamhaus.org", "2.0.0.127.zen.spamhaus.org");
  assert_reverse ("192.0.2.99", "zen.spamhaus.org", "99.2.0.192.zen.spamhaus.org");
  assert_reverse ("192.0.2.99", NULL, "99.2.0.192.in-addr.arpa");
  /* §2.4: IPv6 by nibble, 32 of them. */
  assert_reverse ("2001:db8::1", "dnsbl.test.example",
                  "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
                  "dnsbl.test.example");
  assert_reverse ("2001:db8::1", NULL,
                  "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
  /* The IPv6 test point is the mapped 127.0.0.2, still asked by nibble. */
  assert_reverse ("::ffff:7f00:2", "dnsbl.test.example",
                  "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
                  "dnsbl.test.example");
}

static void
test_blocklist_query (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GInetAddress) listed = g_inet_address_new_from_string ("127.0.0.2");
  g_autofree char *name = md_dns_reverse_name (listed, "zen.test.example");
  g_autoptr(MdDnsAnswer) answer = NULL;

  md_test_resolver_add_address (fixture->resolver, "2.0.0.127.zen.test.example", "127.0.0.2");

  answer = lookup (name, MD_DNS_IPV4);
  g_assert_cmpint (answer->status, ==, MD_DNS_STATUS_FOUND);
  g_assert_cmpstrv (answer->values, ((const char * const []) { "127.0.0.2", NULL }));
}

static void
test_explicit_resolver (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MdTestResolver) other = md_test_resolver_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MdDnsAnswer) answer = NULL;

  md_test_resolver_add_mx (other, "test.example", 10, "mx.test.example");

  answer = lookup_full (G_RESOLVER (other), "test.example", MD_DNS_MX, 2000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (answer->status, ==, MD_DNS_STATUS_FOUND);
  g_assert_cmpuint (md_test_resolver_get_n_lookups (other), ==, 1);
  g_assert_cmpuint (md_test_resolver_get_n_lookups (fixture->resolver), ==, 0);
}

static void
test_answer_copy (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MdDnsAnswer) answer = NULL;
  g_autoptr(MdDnsAnswer) copy = NULL;

  md_test_resolver_add_srv (fixture->resolver, "_imaps._tcp.test.example", 1, 2, 993,
                            "imap.test.example.");

  answer = lookup ("_imaps._tcp.test.example", MD_DNS_SRV);
  copy = g_boxed_copy (MD_TYPE_DNS_ANSWER, answer);

  g_assert_true (copy != answer);
  g_assert_cmpstr (copy->name, ==, answer->name);
  g_assert_cmpint (copy->type, ==, answer->type);
  g_assert_cmpint (copy->status, ==, answer->status);
  g_assert_cmpstrv (copy->values, answer->values);
  g_assert_cmpuint (copy->duration_ms, ==, answer->duration_ms);
  g_assert_true (copy->hosts != answer->hosts);
  assert_host (copy, 0, 1, 2, 993, "imap.test.example");
}

static gpointer
cancel_from_thread (gpointer user_data)
{
  g_usleep (50 * 1000);
  g_cancellable_cancel (user_data);
  return NULL;
}

/* MdDns only uses the asynchronous calls; others may use the blocking ones
 * from a worker thread. */
static void
test_fake_blocking (Fixture       *fixture,
                    gconstpointer  data)
{
  GResolver *resolver = G_RESOLVER (fixture->resolver);
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string ("192.0.2.25");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GThread) thread = NULL;
  g_autoptr(GError) error = NULL;
  g_autolist(GInetAddress) addresses = NULL;
  g_autolist(GVariant) records = NULL;
  g_autofree char *ptr = NULL;

  md_test_resolver_add_address (fixture->resolver, "mx.test.example", "::1");
  md_test_resolver_add_mx (fixture->resolver, "test.example", 10, "mx.test.example");
  md_test_resolver_add_ptr (fixture->resolver, "192.0.2.25", "mail.test.example");
  md_test_resolver_hang (fixture->resolver, "slow.test.example");

  addresses = g_resolver_lookup_by_name (resolver, "mx.test.example", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (addresses), ==, 1);

  g_assert_null (g_resolver_lookup_by_name_with_flags (resolver, "mx.test.example",
                                                       G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY,
                                                       NULL, &error));
  g_assert_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  records = g_resolver_lookup_records (resolver, "test.example", G_RESOLVER_RECORD_MX, NULL,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (records), ==, 1);
  g_assert_true (g_variant_is_of_type (records->data, G_VARIANT_TYPE ("(qs)")));

  ptr = g_resolver_lookup_by_address (resolver, address, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ptr, ==, "mail.test.example");

  thread = g_thread_new ("cancel", cancel_from_thread, cancellable);
  g_assert_null (g_resolver_lookup_records (resolver, "slow.test.example", G_RESOLVER_RECORD_TXT,
                                            cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_thread_join (g_steal_pointer (&thread));

  g_assert_cmpuint (md_test_resolver_get_n_lookups (fixture->resolver), ==, 5);
}

#define ADD(path, func) \
  g_test_add ("/md/core/dns/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  ADD ("address", test_address);
  ADD ("ipv4-only", test_ipv4_only);
  ADD ("mx-sorted", test_mx_sorted);
  ADD ("srv-sorted", test_srv_sorted);
  ADD ("txt-joined", test_txt_joined);
  ADD ("txt-several", test_txt_several);
  ADD ("txt-oversized", test_txt_oversized);
  ADD ("caps", test_caps);
  ADD ("ptr", test_ptr);
  ADD ("not-found", test_not_found);
  ADD ("failed", test_failed);
  ADD ("timed-out", test_timed_out);
  ADD ("cancelled", test_cancelled);
  ADD ("concurrent", test_concurrent);
  ADD ("bad-names", test_bad_names);
  ADD ("blocklist-query", test_blocklist_query);
  ADD ("explicit-resolver", test_explicit_resolver);
  ADD ("answer-copy", test_answer_copy);
  ADD ("fake-blocking", test_fake_blocking);
  g_test_add_func ("/md/core/dns/reverse-name", test_reverse_name);

  return g_test_run ();
}
