/* md-probe-reputation.c: how other mail servers see the sender
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rep.client-ip, rep.dnsbl, rep.dnsbl-server, rep.dnsbl-domain, rep.rdns.
 * Servers answer 421 to addresses on blocklists and to addresses without a
 * proper name, so these look the sender up the way a receiving server
 * would. It is all DNS, asked at once, each question under its own
 * deadline, in two waves: the blocklists, their RFC 5782 test points and
 * the reverse names first; then the reasons for the listings and the
 * forward confirmation of the names. The pure helpers are in
 * md-reputation.c, and the reading of the names (rep.rdns) in
 * md-probe-rdns.c.
 */

#include "md-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "md-probe-reputation-private.h"
#include "md-reputation.h"

#define LOOKUP_TIMEOUT_MS 5000

/* How one blocklist answered about one address or domain. */
typedef enum
{
  VERDICT_NOT_LISTED,
  VERDICT_LISTED,
  VERDICT_POLICY,
  VERDICT_ERROR,
  VERDICT_COULD_NOT_ASK,
  VERDICT_UNRELIABLE,
  N_VERDICTS
} Verdict;

/* The evidence words of the CLI contract. */
static const char * const verdict_words[N_VERDICTS] = {
  [VERDICT_NOT_LISTED] = "not-listed",
  [VERDICT_LISTED] = "listed",
  [VERDICT_POLICY] = "policy",
  [VERDICT_ERROR] = "error",
  [VERDICT_COULD_NOT_ASK] = "could-not-ask",
  [VERDICT_UNRELIABLE] = "unreliable",
};

/* RFC 5782 §5: every list must list the first and must not list the second,
 * so a resolver that answers them otherwise cannot be believed. */
static const char * const test_points[][2] = {
  [MD_DNSBL_KIND_IP] = { "2.0.0.127", "1.0.0.127" },
  [MD_DNSBL_KIND_DOMAIN] = { "test", "invalid" },
};

/* The evidence words, by MdRepSource. */
static const char * const source_words[] = {
  [MD_REP_SOURCE_OPTION] = "option",
  [MD_REP_SOURCE_GREETING] = "greeting",
  [MD_REP_SOURCE_EHLO] = "ehlo",
  [MD_REP_SOURCE_LOCAL] = "local",
};

/* A catalogue entry and its test points, asked once for every question. */
typedef struct
{
  const MdDnsbl *dnsbl;
  gboolean       used;      /* some question goes to it */
  gboolean       reliable;  /* its test points answered as they must */
  MdDnsAnswer   *listed;
  MdDnsAnswer   *unlisted;
} Zone;

/* One question to one zone. */
typedef struct
{
  Zone        *zone;
  char        *subject;  /* the address or domain asked about */
  char        *name;     /* what was asked */
  MdDnsAnswer *answer;
  MdDnsAnswer *reason;   /* the TXT record, asked for listings only */

  /* Read once the first wave is in. */
  Verdict      verdict;
  char        *codes;    /* the A records, comma-separated */
  char        *meaning;  /* plain words, for listings */
} Query;

/* One lookup in flight: its answer goes to @slot. */
typedef struct
{
  MdRep        *rep;
  MdDnsAnswer **slot;
} Lookup;

/* Lookups */

static void
zone_free (Zone *zone)
{
  g_clear_pointer (&zone->listed, md_dns_answer_free);
  g_clear_pointer (&zone->unlisted, md_dns_answer_free);
  g_free (zone);
}

static void
query_free (Query *query)
{
  g_free (query->subject);
  g_free (query->name);
  g_clear_pointer (&query->answer, md_dns_answer_free);
  g_clear_pointer (&query->reason, md_dns_answer_free);
  g_free (query->codes);
  g_free (query->meaning);
  g_free (query);
}

static void
rep_free (MdRep *rep)
{
  g_clear_object (&rep->diagnosis);
  g_clear_object (&rep->kb);
  g_clear_object (&rep->client);
  g_list_free_full (rep->servers, g_object_unref);
  g_free (rep->domain);
  g_ptr_array_unref (rep->zones);
  g_ptr_array_unref (rep->client_queries);
  g_ptr_array_unref (rep->server_queries);
  g_ptr_array_unref (rep->domain_queries);
  g_clear_pointer (&rep->client_ptr, md_dns_answer_free);
  g_clear_pointer (&rep->client_forward, md_dns_answer_free);
  g_clear_pointer (&rep->server_ptr, md_dns_answer_free);
  g_clear_pointer (&rep->server_forward, md_dns_answer_free);
  g_free (rep);
}

static void rep_release (MdRep *rep);

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;
  MdRep *rep = lookup->rep;

  /* Only the run's own cancellation fails a lookup; the slot then stays
   * empty, which reads as "could not ask". */
  *lookup->slot = md_dns_lookup_finish (result, NULL);
  g_free (lookup);
  rep_release (rep);
}

static void
ask (MdRep        *rep,
     const char   *name,
     MdDnsType     type,
     MdDnsAnswer **slot)
{
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->rep = rep;
  lookup->slot = slot;
  rep->n_active++;
  md_dns_lookup_async (NULL, name, type,
                       _md_diagnosis_step_timeout (rep->diagnosis, LOOKUP_TIMEOUT_MS),
                       _md_diagnosis_get_cancellable (rep->diagnosis), lookup_cb, lookup);
}

/* Takes @name. */
static void
ask_query (MdRep      *rep,
           GPtrArray  *queries,
           Zone       *zone,
           const char *subject,
           char       *name)
{
  Query *query = g_new0 (Query, 1);

  query->zone = zone;
  query->subject = g_strdup (subject);
  query->name = name;
  zone->used = TRUE;
  g_ptr_array_add (queries, query);

  ask (rep, name, MD_DNS_IPV4, &query->answer);
}

static void
ask_about_address (MdRep        *rep,
                   GPtrArray    *queries,
                   GInetAddress *address)
{
  g_autofree char *subject = g_inet_address_to_string (address);
  gboolean ipv6 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;

  for (guint i = 0; i < rep->zones->len; i++)
    {
      Zone *zone = g_ptr_array_index (rep->zones, i);

      if (zone->dnsbl->kind != MD_DNSBL_KIND_IP || (ipv6 && !zone->dnsbl->ipv6))
        continue;

      ask_query (rep, queries, zone, subject, md_dns_reverse_name (address, zone->dnsbl->zone));
    }
}

static void
ask_about_domain (MdRep *rep)
{
  for (guint i = 0; i < rep->zones->len; i++)
    {
      Zone *zone = g_ptr_array_index (rep->zones, i);

      if (zone->dnsbl->kind != MD_DNSBL_KIND_DOMAIN)
        continue;

      ask_query (rep, rep->domain_queries, zone, rep->domain,
                 g_strconcat (rep->domain, ".", zone->dnsbl->zone, NULL));
    }
}

/* The test points go out beside the questions, not before them: the
 * answers are read only once both are in, and waiting for the test points
 * first would double the time. */
static void
ask_test_points (MdRep *rep)
{
  for (guint i = 0; i < rep->zones->len; i++)
    {
      Zone *zone = g_ptr_array_index (rep->zones, i);
      const char * const *points = test_points[zone->dnsbl->kind];
      g_autofree char *listed = NULL;
      g_autofree char *unlisted = NULL;

      if (!zone->used)
        continue;

      listed = g_strconcat (points[0], ".", zone->dnsbl->zone, NULL);
      unlisted = g_strconcat (points[1], ".", zone->dnsbl->zone, NULL);
      ask (rep, listed, MD_DNS_IPV4, &zone->listed);
      ask (rep, unlisted, MD_DNS_IPV4, &zone->unlisted);
    }
}

static void
ask_ptr (MdRep         *rep,
         GInetAddress  *address,
         MdDnsAnswer  **slot)
{
  g_autofree char *ip = g_inet_address_to_string (address);

  ask (rep, ip, MD_DNS_PTR, slot);
}

static void
ask_first_wave (MdRep *rep)
{
  MdDiagnosis *diagnosis = rep->diagnosis;

  if (rep->client != NULL && _md_diagnosis_wants (diagnosis, MD_CHECK_REP_DNSBL))
    ask_about_address (rep, rep->client_queries, rep->client);

  if (_md_diagnosis_wants (diagnosis, MD_CHECK_REP_DNSBL_SERVER))
    for (GList *l = rep->servers; l != NULL; l = l->next)
      ask_about_address (rep, rep->server_queries, l->data);

  if (rep->domain != NULL && _md_diagnosis_wants (diagnosis, MD_CHECK_REP_DNSBL_DOMAIN))
    ask_about_domain (rep);

  ask_test_points (rep);

  if (!_md_diagnosis_wants (diagnosis, MD_CHECK_REP_RDNS))
    return;

  if (rep->client != NULL)
    ask_ptr (rep, rep->client, &rep->client_ptr);
  if (rep->servers != NULL)
    ask_ptr (rep, rep->servers->data, &rep->server_ptr);
}

/* Reading blocklist answers */

/* The catalogue gives each zone its listing range as well as its own codes
 * (e.g. 127.0.0.0/24), so a code it does not know is outside that range:
 * an in-band error like 127.255.255.255, or a resolver that makes up
 * addresses. Calling it a listing would accuse the user on no evidence. */
static MdDnsblAnswer
read_code (MdRep         *rep,
           const MdDnsbl *dnsbl,
           const char    *code,
           const char   **meaning)
{
  MdDnsblAnswer kind = md_kb_read_dnsbl_answer (rep->kb, dnsbl, code, meaning);

  return kind == MD_DNSBL_ANSWER_UNKNOWN ? MD_DNSBL_ANSWER_ERROR : kind;
}

/* A zone may answer several codes at once (ZEN: SBL and PBL); one in-band
 * error makes the whole answer an error, never a listing. */
static Verdict
read_codes (MdRep             *rep,
            const MdDnsbl     *dnsbl,
            const MdDnsAnswer *answer,
            GString           *meanings)
{
  gboolean listed = FALSE, policy = FALSE, error = FALSE;

  if (answer == NULL || answer->status == MD_DNS_STATUS_FAILED ||
      answer->status == MD_DNS_STATUS_TIMED_OUT)
    return VERDICT_COULD_NOT_ASK;
  if (answer->status == MD_DNS_STATUS_NOT_FOUND)
    return VERDICT_NOT_LISTED;

  for (guint i = 0; answer->values[i] != NULL; i++)
    {
      const char *meaning = NULL;
      MdDnsblAnswer kind = read_code (rep, dnsbl, answer->values[i], &meaning);

      error |= kind == MD_DNSBL_ANSWER_ERROR;
      listed |= kind == MD_DNSBL_ANSWER_LISTED;
      policy |= kind == MD_DNSBL_ANSWER_POLICY;
      if (meanings != NULL && meaning != NULL && strstr (meanings->str, meaning) == NULL)
        g_string_append_printf (meanings, "%s%s", meanings->len > 0 ? " " : "", meaning);
    }

  if (error)
    return VERDICT_ERROR;
  if (listed)
    return VERDICT_LISTED;

  return policy ? VERDICT_POLICY : VERDICT_NOT_LISTED;
}

static gboolean
zone_is_reliable (MdRep *rep,
                  Zone  *zone)
{
  Verdict listed = read_codes (rep, zone->dnsbl, zone->listed, NULL);

  return (listed == VERDICT_LISTED || listed == VERDICT_POLICY) &&
         zone->unlisted != NULL && zone->unlisted->status == MD_DNS_STATUS_NOT_FOUND;
}

static void
read_query (MdRep *rep,
            Query *query)
{
  g_autoptr(GString) meanings = g_string_new (NULL);
  Verdict verdict = read_codes (rep, query->zone->dnsbl, query->answer, meanings);

  /* No answer, or an in-band error, says more than the test points can;
   * any other answer of a zone that failed them means nothing either way. */
  if (verdict != VERDICT_ERROR && verdict != VERDICT_COULD_NOT_ASK && !query->zone->reliable)
    verdict = VERDICT_UNRELIABLE;

  query->verdict = verdict;
  if (query->answer != NULL && query->answer->values[0] != NULL)
    query->codes = g_strjoinv (",", query->answer->values);

  if (meanings->len > 0)
    query->meaning = g_string_free (g_steal_pointer (&meanings), FALSE);
  else if (verdict == VERDICT_POLICY)
    query->meaning = g_strdup (_("Your connection is a home connection that should send "
                                 "through your provider's server with a login. This is not a "
                                 "spam accusation."));
  else if (verdict == VERDICT_LISTED)
    query->meaning = g_strdup (_("This list names the address as a source of unwanted mail."));
}

static void
read_answers (MdRep *rep)
{
  GPtrArray *all[] = { rep->client_queries, rep->server_queries, rep->domain_queries };

  for (guint i = 0; i < rep->zones->len; i++)
    {
      Zone *zone = g_ptr_array_index (rep->zones, i);

      zone->reliable = zone->used && zone_is_reliable (rep, zone);
    }

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    for (guint j = 0; j < all[i]->len; j++)
      read_query (rep, g_ptr_array_index (all[i], j));
}

/* Second wave */

const char *
_md_rep_first_value (const MdDnsAnswer *answer)
{
  if (answer == NULL || answer->status != MD_DNS_STATUS_FOUND)
    return NULL;

  return answer->values[0];
}

static void
ask_forward (MdRep              *rep,
             const MdDnsAnswer  *ptr,
             MdDnsAnswer       **slot)
{
  const char *name = _md_rep_first_value (ptr);

  if (name != NULL)
    ask (rep, name, MD_DNS_ADDRESS, slot);
}

static void
ask_second_wave (MdRep *rep)
{
  GPtrArray *all[] = { rep->client_queries, rep->server_queries, rep->domain_queries };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    for (guint j = 0; j < all[i]->len; j++)
      {
        Query *query = g_ptr_array_index (all[i], j);

        if (query->verdict == VERDICT_LISTED || query->verdict == VERDICT_POLICY)
          ask (rep, query->name, MD_DNS_TXT, &query->reason);
      }

  ask_forward (rep, rep->client_ptr, &rep->client_forward);
  ask_forward (rep, rep->server_ptr, &rep->server_forward);
}

/* Blocklist checks */

/* The zones of one check by how they answered, each zone once; reliable
 * when every zone answered its test points as it must. */
typedef struct
{
  GPtrArray *zones[N_VERDICTS];
  gboolean   reliable;
} Tally;

static void
tally_clear (Tally *tally)
{
  for (guint i = 0; i < N_VERDICTS; i++)
    g_clear_pointer (&tally->zones[i], g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tally, tally_clear)

static void
tally_init (Tally     *tally,
            GPtrArray *queries)
{
  for (guint i = 0; i < N_VERDICTS; i++)
    tally->zones[i] = g_ptr_array_new ();

  tally->reliable = TRUE;
  for (guint i = 0; i < queries->len; i++)
    {
      Query *query = g_ptr_array_index (queries, i);
      GPtrArray *zones = tally->zones[query->verdict];

      tally->reliable &= query->zone->reliable;
      if (!g_ptr_array_find (zones, query->zone->dnsbl, NULL))
        g_ptr_array_add (zones, (gpointer)query->zone->dnsbl);
    }
}

static guint
tally_count (const Tally *tally,
             Verdict      verdict)
{
  return tally->zones[verdict]->len;
}

static guint
tally_unusable (const Tally *tally)
{
  return tally_count (tally, VERDICT_ERROR) + tally_count (tally, VERDICT_COULD_NOT_ASK) +
         tally_count (tally, VERDICT_UNRELIABLE);
}

static char *
tally_names (const Tally *tally,
             Verdict      verdict)
{
  GPtrArray *zones = tally->zones[verdict];
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < zones->len; i++)
    {
      const MdDnsbl *dnsbl = g_ptr_array_index (zones, i);

      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", dnsbl->name);
    }

  return g_string_free (g_steal_pointer (&names), FALSE);
}

static MdCheckStatus
tally_status (const Tally *tally)
{
  if (tally_count (tally, VERDICT_LISTED) > 0)
    return MD_CHECK_STATUS_FAIL;
  if (tally_count (tally, VERDICT_POLICY) > 0)
    return MD_CHECK_STATUS_WARN;
  if (tally_count (tally, VERDICT_NOT_LISTED) > 0)
    return MD_CHECK_STATUS_PASS;

  return MD_CHECK_STATUS_ERROR;
}

/* Why no list gave a usable answer. An error answer to a zone whose test
 * points failed too comes from the DNS server, not from the list. */
static const char *
could_not_check (const Tally *tally)
{
  if (tally_count (tally, VERDICT_ERROR) == 0 && tally_count (tally, VERDICT_UNRELIABLE) == 0)
    return _("Could not check, because the blocklists did not answer.");
  if (!tally->reliable)
    return _("Could not check, because your DNS server does not answer blocklist questions "
             "correctly (for example it is a public DNS service that blocklists refuse).");

  return _("Could not check, because the blocklists refused to answer your DNS server (for "
           "example it is a public DNS service that blocklists refuse).");
}

/* Says which lists could not be checked when others could. Takes @summary. */
static char *
add_unusable_note (const Tally *tally,
                   char        *summary)
{
  g_autofree char *owned = summary;
  g_autofree char *note = NULL;
  guint n = tally_unusable (tally);

  if (n == 0)
    return g_steal_pointer (&owned);

  note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u other blocklist could not be checked.",
                                       "%u other blocklists could not be checked.", n), n);
  return g_strconcat (owned, " ", note, NULL);
}

static void
add_evidence (MdCheck    *check,
              const char *prefix,
              const char *zone,
              const char *subject,
              const char *value)
{
  g_autofree char *key = g_strconcat (prefix, zone, NULL);
  const char *old = md_check_get_evidence (check, key);
  g_autofree char *entry = subject != NULL ? g_strconcat (subject, " ", value, NULL)
                                           : g_strdup (value);
  g_autofree char *joined = old != NULL ? g_strconcat (old, "; ", entry, NULL) : NULL;

  md_check_set_evidence (check, key, joined != NULL ? joined : entry);
}

static char *
dup_verdict (const Query *query)
{
  if (query->codes == NULL || (query->verdict != VERDICT_LISTED &&
                               query->verdict != VERDICT_POLICY &&
                               query->verdict != VERDICT_ERROR))
    return g_strdup (verdict_words[query->verdict]);

  return g_strconcat (verdict_words[query->verdict], " ", query->codes, NULL);
}

/* With @several, each value starts with the address it is about. */
static void
set_query_evidence (MdCheck     *check,
                    const Query *query,
                    gboolean     several)
{
  const MdDnsbl *dnsbl = query->zone->dnsbl;
  const char *subject = several ? query->subject : NULL;
  const char *reason = _md_rep_first_value (query->reason);
  g_autofree char *value = dup_verdict (query);
  g_autofree char *delist_key = g_strconcat ("delist:", dnsbl->zone, NULL);

  add_evidence (check, "zone:", dnsbl->zone, subject, value);
  if (query->verdict != VERDICT_LISTED && query->verdict != VERDICT_POLICY)
    return;

  add_evidence (check, "meaning:", dnsbl->zone, subject, query->meaning);
  if (reason != NULL)
    add_evidence (check, "reason:", dnsbl->zone, subject, reason);
  if (dnsbl->delist_url != NULL)
    md_check_set_evidence (check, delist_key, dnsbl->delist_url);
}

static char *
describe_answer (const MdDnsAnswer *answer)
{
  if (answer == NULL)
    return g_strdup (_("no answer"));

  switch (answer->status)
    {
    case MD_DNS_STATUS_FOUND:
      return g_strjoinv (",", answer->values);
    case MD_DNS_STATUS_NOT_FOUND:
      return g_strdup (_("not found"));
    case MD_DNS_STATUS_FAILED:
    case MD_DNS_STATUS_TIMED_OUT:
    default:
      return g_strdup (answer->detail != NULL ? answer->detail : _("no answer"));
    }
}

/* One line per question, in the words of the evidence, with what an error
 * answer means, what the resolver said when there was no answer, and what
 * the test points said when they failed. */
static void
append_query_detail (GString     *detail,
                     const Query *query)
{
  g_autofree char *value = dup_verdict (query);
  Zone *zone = query->zone;

  g_string_append_printf (detail, "%s: %s", query->name, value);

  if (query->verdict == VERDICT_ERROR && query->meaning != NULL)
    g_string_append_printf (detail, " (%s)", query->meaning);
  else if (query->verdict == VERDICT_COULD_NOT_ASK)
    {
      g_autofree char *said = describe_answer (query->answer);

      g_string_append_printf (detail, " (%s)", said);
    }
  else if (query->verdict == VERDICT_UNRELIABLE)
    {
      g_autofree char *listed = describe_answer (zone->listed);
      g_autofree char *unlisted = describe_answer (zone->unlisted);

      /* Translators: the test points are the addresses every blocklist must
       * list (the first) and must not list (the second). */
      g_string_append_printf (detail, _(" (test points: %s answered “%s”, %s answered “%s”)"),
                              test_points[zone->dnsbl->kind][0], listed,
                              test_points[zone->dnsbl->kind][1], unlisted);
    }

  g_string_append_c (detail, '\n');
}

static void
set_list_evidence (MdCheck     *check,
                   const Tally *tally,
                   GPtrArray   *queries,
                   gboolean     several)
{
  g_autoptr(GString) detail = g_string_new (NULL);

  md_check_set_evidence (check, "reliable", tally->reliable ? "yes" : "no");
  for (guint i = 0; i < queries->len; i++)
    {
      set_query_evidence (check, g_ptr_array_index (queries, i), several);
      append_query_detail (detail, g_ptr_array_index (queries, i));
    }

  md_check_set_detail (check, detail->str);
}

void
_md_rep_emit (MdRep   *rep,
              MdCheck *check)
{
  md_check_set_duration_ms (check, (g_get_monotonic_time () - rep->started_us) / 1000);
  _md_diagnosis_emit (rep->diagnosis, check);
}

void
_md_rep_emit_skip (MdRep      *rep,
                   MdCheckId   id,
                   const char *summary)
{
  g_autoptr(MdCheck) check = md_check_new (id);

  md_check_finish (check, MD_CHECK_STATUS_SKIP, summary, NULL);
  _md_rep_emit (rep, check);
}

typedef char *(*SummaryFunc) (MdRep *rep, const Tally *tally, MdCheckStatus status);

static void
emit_list_check (MdRep       *rep,
                 MdCheckId    id,
                 GPtrArray   *queries,
                 gboolean     several,
                 SummaryFunc  summarise)
{
  g_autoptr(MdCheck) check = md_check_new (id);
  g_auto(Tally) tally = { { NULL } };
  g_autofree char *summary = NULL;
  MdCheckStatus status;

  if (queries->len == 0)
    {
      _md_rep_emit_skip (rep, id, _("Not tested: none of the known blocklists answers questions "
                                    "about this kind of address."));
      return;
    }

  tally_init (&tally, queries);
  status = tally_status (&tally);
  set_list_evidence (check, &tally, queries, several);
  if (status == MD_CHECK_STATUS_ERROR)
    summary = g_strdup (could_not_check (&tally));
  else
    summary = add_unusable_note (&tally, summarise (rep, &tally, status));

  md_check_set_summary (check, summary);
  md_check_set_status (check, status);
  _md_rep_emit (rep, check);
}

/* The zones a failing or warning summary names. */
static Verdict
named_verdict (MdCheckStatus status)
{
  return status == MD_CHECK_STATUS_FAIL ? VERDICT_LISTED : VERDICT_POLICY;
}

static char *
client_summary (MdRep         *rep,
                const Tally   *tally,
                MdCheckStatus  status)
{
  g_autofree char *ip = g_inet_address_to_string (rep->client);
  g_autofree char *names = tally_names (tally, named_verdict (status));
  guint n = tally_count (tally, named_verdict (status));

  if (status == MD_CHECK_STATUS_FAIL)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Your internet address %s is on %u blocklist (%s). "
                                         "Mail servers that use it refuse or delay your mail; "
                                         "the list's page says how to be removed.",
                                         "Your internet address %s is on %u blocklists (%s). "
                                         "Mail servers that use them refuse or delay your mail; "
                                         "each list's page says how to be removed.", n),
                            ip, n, names);
  if (status == MD_CHECK_STATUS_WARN)
    /* Translators: the first %s is an internet address, the second a list
     * of blocklist names. */
    return g_strdup_printf (_("Your internet address %s is listed as a home connection (%s). "
                              "That is not a spam accusation: it means mail from this connection "
                              "should go through your provider's server, with a login, instead "
                              "of straight to other mail servers."), ip, names);

  n = tally_count (tally, VERDICT_NOT_LISTED);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Your internet address %s is not on the %u blocklist "
                                       "checked.",
                                       "Your internet address %s is not on any of the %u "
                                       "blocklists checked.", n), ip, n);
}

static char *
join_servers (MdRep *rep)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (GList *l = rep->servers; l != NULL; l = l->next)
    {
      g_autofree char *ip = g_inet_address_to_string (l->data);

      g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", ip);
    }

  return g_string_free (g_steal_pointer (&list), FALSE);
}

static char *
server_summary (MdRep         *rep,
                const Tally   *tally,
                MdCheckStatus  status)
{
  g_autofree char *ips = join_servers (rep);
  g_autofree char *names = tally_names (tally, named_verdict (status));
  guint n = tally_count (tally, VERDICT_LISTED);

  if (status == MD_CHECK_STATUS_FAIL)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Your provider's mail server (%s) is on %u blocklist "
                                         "(%s). That is your provider's problem, not yours: "
                                         "contact your provider and tell them.",
                                         "Your provider's mail server (%s) is on %u blocklists "
                                         "(%s). That is your provider's problem, not yours: "
                                         "contact your provider and tell them.", n),
                            ips, n, names);
  if (status == MD_CHECK_STATUS_WARN)
    return g_strdup_printf (_("Your provider's mail server (%s) is listed as a home connection "
                              "(%s). Other servers may refuse its mail; contact your provider "
                              "and tell them."), ips, names);

  n = tally_count (tally, VERDICT_NOT_LISTED);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Your provider's mail server (%s) is not on the %u "
                                       "blocklist checked.",
                                       "Your provider's mail server (%s) is not on any of the "
                                       "%u blocklists checked.", n), ips, n);
}

static char *
domain_summary (MdRep         *rep,
                const Tally   *tally,
                MdCheckStatus  status)
{
  g_autofree char *names = tally_names (tally, named_verdict (status));
  guint n = tally_count (tally, status == MD_CHECK_STATUS_FAIL ? VERDICT_LISTED
                                                               : VERDICT_NOT_LISTED);

  if (status == MD_CHECK_STATUS_FAIL)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Your email domain %s is on %u domain blocklist (%s). "
                                         "Mail from it may be refused; whoever runs the domain "
                                         "should ask the list to remove it.",
                                         "Your email domain %s is on %u domain blocklists (%s). "
                                         "Mail from it may be refused; whoever runs the domain "
                                         "should ask each list to remove it.", n),
                            rep->domain, n, names);
  if (status == MD_CHECK_STATUS_WARN)
    return g_strdup_printf (_("Your email domain %s is on a policy list (%s). That is not a spam "
                              "accusation; the list's page says what it means for your mail."),
                            rep->domain, names);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Your email domain %s is not on the %u domain blocklist "
                                       "checked.",
                                       "Your email domain %s is not on any of the %u domain "
                                       "blocklists checked.", n), rep->domain, n);
}

static void
emit_client_lists (MdRep *rep)
{
  if (!_md_diagnosis_wants (rep->diagnosis, MD_CHECK_REP_DNSBL))
    return;

  if (rep->client == NULL)
    _md_rep_emit_skip (rep, MD_CHECK_REP_DNSBL,
                       _("Not tested, because your internet address is not known."));
  else
    emit_list_check (rep, MD_CHECK_REP_DNSBL, rep->client_queries, FALSE, client_summary);
}

static void
emit_server_lists (MdRep *rep)
{
  if (!_md_diagnosis_wants (rep->diagnosis, MD_CHECK_REP_DNSBL_SERVER))
    return;

  if (rep->servers == NULL)
    _md_rep_emit_skip (rep, MD_CHECK_REP_DNSBL_SERVER,
                       _("Not tested, because the mail server's address is not known."));
  else
    emit_list_check (rep, MD_CHECK_REP_DNSBL_SERVER, rep->server_queries,
                     rep->servers->next != NULL, server_summary);
}

static void
emit_domain_lists (MdRep *rep)
{
  if (!_md_diagnosis_wants (rep->diagnosis, MD_CHECK_REP_DNSBL_DOMAIN))
    return;

  if (rep->domain == NULL)
    _md_rep_emit_skip (rep, MD_CHECK_REP_DNSBL_DOMAIN,
                       _("Not tested, because there is no email address to take the domain from."));
  else
    emit_list_check (rep, MD_CHECK_REP_DNSBL_DOMAIN, rep->domain_queries, FALSE,
                     domain_summary);
}

/* The probe */

static void
rep_finish (MdRep *rep)
{
  MdDiagnosis *diagnosis = g_object_ref (rep->diagnosis);

  emit_client_lists (rep);
  emit_server_lists (rep);
  emit_domain_lists (rep);
  _md_rep_emit_rdns (rep);
  rep_free (rep);

  _md_diagnosis_probe_done (diagnosis);
  g_object_unref (diagnosis);
}

static void
rep_release (MdRep *rep)
{
  g_assert (rep->n_active > 0);

  if (--rep->n_active > 0)
    return;

  if (rep->second_wave)
    {
      rep_finish (rep);
      return;
    }

  /* Held while the second wave is asked, so that it cannot end early. */
  rep->second_wave = TRUE;
  rep->n_active = 1;
  read_answers (rep);
  ask_second_wave (rep);
  rep_release (rep);
}

static GInetAddress *
find_client (MdRep       *rep,
             MdRepSource *source)
{
  MdDiagnosis *diagnosis = rep->diagnosis;
  const char *option = md_account_get_client_ip (md_diagnosis_get_account (diagnosis));
  GInetAddress *local = _md_diagnosis_get_local_address (diagnosis);
  GInetAddress *address = NULL;

  /* The user's word is taken as given, even for an address that is not
   * public: the tests and the DNS lab rely on it. */
  if (option != NULL)
    address = g_inet_address_new_from_string (option);
  if (address != NULL)
    {
      *source = MD_REP_SOURCE_OPTION;
      return address;
    }

  address = md_reputation_find_client_ip (_md_diagnosis_get_greeting_text (diagnosis),
                                          rep->servers);
  if (address != NULL)
    {
      *source = MD_REP_SOURCE_GREETING;
      return address;
    }

  address = md_reputation_find_client_ip (_md_diagnosis_get_ehlo_text (diagnosis), rep->servers);
  if (address != NULL)
    {
      *source = MD_REP_SOURCE_EHLO;
      return address;
    }

  if (local == NULL || !md_reputation_address_is_public (local))
    return NULL;

  *source = MD_REP_SOURCE_LOCAL;
  return g_object_ref (local);
}

static char *
client_ip_summary (MdRep *rep)
{
  g_autofree char *ip = g_inet_address_to_string (rep->client);

  switch (rep->source)
    {
    case MD_REP_SOURCE_OPTION:
      return g_strdup_printf (_("Checking the internet address you gave: %s."), ip);
    case MD_REP_SOURCE_LOCAL:
      return g_strdup_printf (_("Your computer's internet address is %s."), ip);
    case MD_REP_SOURCE_GREETING:
    case MD_REP_SOURCE_EHLO:
    default:
      return g_strdup_printf (_("The mail server sees your mail coming from the internet "
                                "address %s."), ip);
    }
}

static void
emit_client_ip (MdRep *rep)
{
  g_autoptr(MdCheck) check = md_check_new (MD_CHECK_REP_CLIENT_IP);
  g_autofree char *ip = NULL;
  g_autofree char *summary = NULL;

  if (rep->client == NULL)
    {
      md_check_set_evidence (check, "reason", "unknown");
      md_check_finish (check, MD_CHECK_STATUS_SKIP,
                       _("Not tested: Mail Doctor could not tell which internet address your "
                         "mail comes from. To find it, search the web for “what is my IP”, "
                         "then check again with that address."), NULL);
      _md_rep_emit (rep, check);
      return;
    }

  ip = g_inet_address_to_string (rep->client);
  summary = client_ip_summary (rep);
  md_check_set_evidence (check, "ip", ip);
  md_check_set_evidence (check, "source", source_words[rep->source]);
  md_check_finish (check, MD_CHECK_STATUS_PASS, summary, NULL);
  _md_rep_emit (rep, check);
}

static char *
email_domain (MdAccount *account)
{
  const char *email = md_account_get_email (account);
  const char *at = email != NULL ? strrchr (email, '@') : NULL;
  g_autofree char *ascii = NULL;

  if (at == NULL || at[1] == '\0')
    return NULL;

  ascii = g_hostname_to_ascii (at + 1);
  return ascii != NULL ? g_ascii_strdown (ascii, -1) : NULL;
}

static GPtrArray *
zones_new (MdKb *kb)
{
  GPtrArray *dnsbls = md_kb_get_dnsbls (kb);
  GPtrArray *zones = g_ptr_array_new_with_free_func ((GDestroyNotify)zone_free);

  for (guint i = 0; i < dnsbls->len; i++)
    {
      Zone *zone = g_new0 (Zone, 1);

      zone->dnsbl = g_ptr_array_index (dnsbls, i);
      g_ptr_array_add (zones, zone);
    }

  return zones;
}

/**
 * _md_probe_reputation_start:
 *
 * Looks the sender up the way receiving mail servers do; emits the
 * rep.* checks that are wanted and calls _md_diagnosis_probe_done() once.
 */
void
_md_probe_reputation_start (MdDiagnosis *diagnosis)
{
  MdRep *rep = g_new0 (MdRep, 1);
  GList *servers = _md_diagnosis_get_server_addresses (diagnosis);

  _md_diagnosis_probe_started (diagnosis);

  rep->diagnosis = g_object_ref (diagnosis);
  rep->kb = g_object_ref (_md_diagnosis_get_kb (diagnosis));
  rep->started_us = g_get_monotonic_time ();
  rep->servers = g_list_copy_deep (servers, (GCopyFunc)(void (*)(void))g_object_ref, NULL);
  rep->domain = email_domain (md_diagnosis_get_account (diagnosis));
  rep->zones = zones_new (rep->kb);
  rep->client_queries = g_ptr_array_new_with_free_func ((GDestroyNotify)query_free);
  rep->server_queries = g_ptr_array_new_with_free_func ((GDestroyNotify)query_free);
  rep->domain_queries = g_ptr_array_new_with_free_func ((GDestroyNotify)query_free);
  rep->client = find_client (rep, &rep->source);

  if (_md_diagnosis_wants (diagnosis, MD_CHECK_REP_CLIENT_IP))
    emit_client_ip (rep);

  /* Held while the first wave is asked, so that it cannot end early. */
  rep->n_active = 1;
  ask_first_wave (rep);
  rep_release (rep);
}
