/* md-probe-dnsbl.c: rep.dnsbl, rep.dnsbl-server and rep.dnsbl-domain, what
 * the blocklists said, in plain words
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of the reputation probe (md-probe-reputation.c), which asks the
 * blocklists and reads their answers; this counts the verdicts of each
 * check and words its summary, evidence and detail.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-probe-reputation-private.h"

/* The evidence words of the CLI contract. */
static const char * const verdict_words[MD_REP_N_VERDICTS] = {
  [MD_REP_VERDICT_NOT_LISTED] = "not-listed",
  [MD_REP_VERDICT_LISTED] = "listed",
  [MD_REP_VERDICT_POLICY] = "policy",
  [MD_REP_VERDICT_ERROR] = "error",
  [MD_REP_VERDICT_COULD_NOT_ASK] = "could-not-ask",
  [MD_REP_VERDICT_UNRELIABLE] = "unreliable",
};

/* Blocklist checks */

/* The zones of one check by how they answered, each zone once; reliable
 * when every zone answered its test points as it must. */
typedef struct
{
  GPtrArray *zones[MD_REP_N_VERDICTS];
  gboolean   reliable;
} Tally;

static void
tally_clear (Tally *tally)
{
  for (guint i = 0; i < MD_REP_N_VERDICTS; i++)
    g_clear_pointer (&tally->zones[i], g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tally, tally_clear)

static void
tally_init (Tally     *tally,
            GPtrArray *queries)
{
  for (guint i = 0; i < MD_REP_N_VERDICTS; i++)
    tally->zones[i] = g_ptr_array_new ();

  tally->reliable = TRUE;
  for (guint i = 0; i < queries->len; i++)
    {
      MdRepQuery *query = g_ptr_array_index (queries, i);
      GPtrArray *zones = tally->zones[query->verdict];

      tally->reliable &= query->zone->reliable;
      if (!g_ptr_array_find (zones, query->zone->dnsbl, NULL))
        g_ptr_array_add (zones, (gpointer)query->zone->dnsbl);
    }
}

static guint
tally_count (const Tally  *tally,
             MdRepVerdict  verdict)
{
  return tally->zones[verdict]->len;
}

static guint
tally_unusable (const Tally *tally)
{
  return tally_count (tally, MD_REP_VERDICT_ERROR) +
         tally_count (tally, MD_REP_VERDICT_COULD_NOT_ASK) +
         tally_count (tally, MD_REP_VERDICT_UNRELIABLE);
}

static char *
tally_names (const Tally  *tally,
             MdRepVerdict  verdict)
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
  if (tally_count (tally, MD_REP_VERDICT_LISTED) > 0)
    return MD_CHECK_STATUS_FAIL;
  if (tally_count (tally, MD_REP_VERDICT_POLICY) > 0)
    return MD_CHECK_STATUS_WARN;
  if (tally_count (tally, MD_REP_VERDICT_NOT_LISTED) > 0)
    return MD_CHECK_STATUS_PASS;

  return MD_CHECK_STATUS_ERROR;
}

/* Why no list gave a usable answer. An error answer to a zone whose test
 * points failed too comes from the DNS server, not from the list. */
static const char *
could_not_check (const Tally *tally)
{
  if (tally_count (tally, MD_REP_VERDICT_ERROR) == 0 &&
      tally_count (tally, MD_REP_VERDICT_UNRELIABLE) == 0)
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
dup_verdict (const MdRepQuery *query)
{
  if (query->codes == NULL || (query->verdict != MD_REP_VERDICT_LISTED &&
                               query->verdict != MD_REP_VERDICT_POLICY &&
                               query->verdict != MD_REP_VERDICT_ERROR))
    return g_strdup (verdict_words[query->verdict]);

  return g_strconcat (verdict_words[query->verdict], " ", query->codes, NULL);
}

/* With @several, each value starts with the address it is about. */
static void
set_query_evidence (MdCheck          *check,
                    const MdRepQuery *query,
                    gboolean          several)
{
  const MdDnsbl *dnsbl = query->zone->dnsbl;
  const char *subject = several ? query->subject : NULL;
  const char *reason = _md_rep_first_value (query->reason);
  g_autofree char *value = dup_verdict (query);
  g_autofree char *delist_key = g_strconcat ("delist:", dnsbl->zone, NULL);

  add_evidence (check, "zone:", dnsbl->zone, subject, value);
  if (query->verdict != MD_REP_VERDICT_LISTED && query->verdict != MD_REP_VERDICT_POLICY)
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
append_query_detail (GString          *detail,
                     const MdRepQuery *query)
{
  g_autofree char *value = dup_verdict (query);
  MdRepZone *zone = query->zone;
  const char * const *points = _md_rep_test_points (zone->dnsbl->kind);

  g_string_append_printf (detail, "%s: %s", query->name, value);

  if (query->verdict == MD_REP_VERDICT_ERROR && query->meaning != NULL)
    g_string_append_printf (detail, " (%s)", query->meaning);
  else if (query->verdict == MD_REP_VERDICT_COULD_NOT_ASK)
    {
      g_autofree char *said = describe_answer (query->answer);

      g_string_append_printf (detail, " (%s)", said);
    }
  else if (query->verdict == MD_REP_VERDICT_UNRELIABLE)
    {
      g_autofree char *listed = describe_answer (zone->listed);
      g_autofree char *unlisted = describe_answer (zone->unlisted);

      /* Translators: the test points are the addresses every blocklist must
       * list (the first) and must not list (the second). */
      g_string_append_printf (detail, _(" (test points: %s answered “%s”, %s answered “%s”)"),
                              points[0], listed, points[1], unlisted);
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
static MdRepVerdict
named_verdict (MdCheckStatus status)
{
  return status == MD_CHECK_STATUS_FAIL ? MD_REP_VERDICT_LISTED : MD_REP_VERDICT_POLICY;
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

  n = tally_count (tally, MD_REP_VERDICT_NOT_LISTED);
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
  guint n = tally_count (tally, MD_REP_VERDICT_LISTED);

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

  n = tally_count (tally, MD_REP_VERDICT_NOT_LISTED);
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
  guint n = tally_count (tally, status == MD_CHECK_STATUS_FAIL ? MD_REP_VERDICT_LISTED
                                                               : MD_REP_VERDICT_NOT_LISTED);

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

void
_md_dnsbl_emit_lists (MdRep *rep)
{
  emit_client_lists (rep);
  emit_server_lists (rep);
  emit_domain_lists (rep);
}
