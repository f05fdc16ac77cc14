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
 * md-reputation.c, the wording of the blocklist checks in md-probe-dnsbl.c,
 * and the reading of the names (rep.rdns) in md-probe-rdns.c.
 */

#include "md-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "md-probe-reputation-private.h"
#include "md-reputation.h"
#include "md-validate.h"

#define LOOKUP_TIMEOUT_MS 5000

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

/* One lookup in flight: its answer goes to @slot. */
typedef struct
{
  MdRep        *rep;
  MdDnsAnswer **slot;
} Lookup;

/* Lookups */

static void
zone_free (MdRepZone *zone)
{
  g_clear_pointer (&zone->listed, md_dns_answer_free);
  g_clear_pointer (&zone->unlisted, md_dns_answer_free);
  g_free (zone);
}

static void
query_free (MdRepQuery *query)
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
           MdRepZone  *zone,
           const char *subject,
           char       *name)
{
  MdRepQuery *query = g_new0 (MdRepQuery, 1);

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
      MdRepZone *zone = g_ptr_array_index (rep->zones, i);

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
      MdRepZone *zone = g_ptr_array_index (rep->zones, i);

      if (zone->dnsbl->kind != MD_DNSBL_KIND_DOMAIN)
        continue;

      ask_query (rep, rep->domain_queries, zone, rep->domain,
                 g_strconcat (rep->domain, ".", zone->dnsbl->zone, NULL));
    }
}

const char * const *
_md_rep_test_points (MdDnsblKind kind)
{
  return test_points[kind];
}

/* The test points go out beside the questions, not before them: the
 * answers are read only once both are in, and waiting for the test points
 * first would double the time. */
static void
ask_test_points (MdRep *rep)
{
  for (guint i = 0; i < rep->zones->len; i++)
    {
      MdRepZone *zone = g_ptr_array_index (rep->zones, i);
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
static MdRepVerdict
read_codes (MdRep             *rep,
            const MdDnsbl     *dnsbl,
            const MdDnsAnswer *answer,
            GString           *meanings)
{
  gboolean listed = FALSE, policy = FALSE, error = FALSE;

  if (answer == NULL || answer->status == MD_DNS_STATUS_FAILED ||
      answer->status == MD_DNS_STATUS_TIMED_OUT)
    return MD_REP_VERDICT_COULD_NOT_ASK;
  if (answer->status == MD_DNS_STATUS_NOT_FOUND)
    return MD_REP_VERDICT_NOT_LISTED;

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
    return MD_REP_VERDICT_ERROR;
  if (listed)
    return MD_REP_VERDICT_LISTED;

  return policy ? MD_REP_VERDICT_POLICY : MD_REP_VERDICT_NOT_LISTED;
}

static gboolean
zone_is_reliable (MdRep     *rep,
                  MdRepZone *zone)
{
  MdRepVerdict listed = read_codes (rep, zone->dnsbl, zone->listed, NULL);

  return (listed == MD_REP_VERDICT_LISTED || listed == MD_REP_VERDICT_POLICY) &&
         zone->unlisted != NULL && zone->unlisted->status == MD_DNS_STATUS_NOT_FOUND;
}

static void
read_query (MdRep      *rep,
            MdRepQuery *query)
{
  g_autoptr(GString) meanings = g_string_new (NULL);
  MdRepVerdict verdict = read_codes (rep, query->zone->dnsbl, query->answer, meanings);

  /* No answer, or an in-band error, says more than the test points can;
   * any other answer of a zone that failed them means nothing either way. */
  if (verdict != MD_REP_VERDICT_ERROR && verdict != MD_REP_VERDICT_COULD_NOT_ASK &&
      !query->zone->reliable)
    verdict = MD_REP_VERDICT_UNRELIABLE;

  query->verdict = verdict;
  if (query->answer != NULL && query->answer->values[0] != NULL)
    query->codes = g_strjoinv (",", query->answer->values);

  if (meanings->len > 0)
    query->meaning = g_string_free (g_steal_pointer (&meanings), FALSE);
  else if (verdict == MD_REP_VERDICT_POLICY)
    query->meaning = g_strdup (_("Your connection is a home connection that should send "
                                 "through your provider's server with a login. This is not a "
                                 "spam accusation."));
  else if (verdict == MD_REP_VERDICT_LISTED)
    query->meaning = g_strdup (_("This list names the address as a source of unwanted mail."));
}

static void
read_answers (MdRep *rep)
{
  GPtrArray *all[] = { rep->client_queries, rep->server_queries, rep->domain_queries };

  for (guint i = 0; i < rep->zones->len; i++)
    {
      MdRepZone *zone = g_ptr_array_index (rep->zones, i);

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
        MdRepQuery *query = g_ptr_array_index (all[i], j);

        if (query->verdict == MD_REP_VERDICT_LISTED || query->verdict == MD_REP_VERDICT_POLICY)
          ask (rep, query->name, MD_DNS_TXT, &query->reason);
      }

  ask_forward (rep, rep->client_ptr, &rep->client_forward);
  ask_forward (rep, rep->server_ptr, &rep->server_forward);
}

/* The probe */

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

static void
rep_finish (MdRep *rep)
{
  MdDiagnosis *diagnosis = g_object_ref (rep->diagnosis);

  _md_dnsbl_emit_lists (rep);
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

static GPtrArray *
zones_new (MdKb *kb)
{
  GPtrArray *dnsbls = md_kb_get_dnsbls (kb);
  GPtrArray *zones = g_ptr_array_new_with_free_func ((GDestroyNotify)zone_free);

  for (guint i = 0; i < dnsbls->len; i++)
    {
      MdRepZone *zone = g_new0 (MdRepZone, 1);

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
  rep->domain = md_email_dup_domain (md_account_get_email (md_diagnosis_get_account (diagnosis)));
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
