/* md-probe-mail-auth.c: the sender's domain in DNS (auth.spf, auth.dmarc,
 * auth.dkim, auth.mta-sts)
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Large receivers defer mail (421 4.7.x) from domains that do not say who
 * may send for them. These checks read what the email address's domain
 * publishes: DNS only, no connection to any mail server, all four at once
 * and each lookup under its own deadline. A lookup that could not be asked
 * never becomes "missing": that would send the user to fix DNS records
 * that may be fine.
 */

#include "md-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libpsl.h>

#include "md-diagnosis-private.h"
#include "md-mail-auth.h"

#define LOOKUP_TIMEOUT_MS 5000
/* Bounds on following SPF's include and redirect: RFC 7208 §4.6.4 stops
 * at 10 counted terms; these stop a hostile chain whatever it counts. */
#define SPF_MAX_FETCHES 20
#define SPF_MAX_DEPTH 10

/* The usual DKIM selectors (kb-421.json "common_selectors"). Selectors are
 * chosen by the sender and cannot be listed from outside, so a checker can
 * only try the common ones. */
static const char * const dkim_selectors[] = {
  "default", "selector1", "selector2", "google", "k1", "k2", "k3", "s1", "s2",
  "mail", "dkim", "smtp", "mx", "20230601", "20161025", "fm1", "fm2", "fm3",
  "zoho", "protonmail", "protonmail2", "protonmail3", "sig1", "mandrill",
  "everlytickey1", "pm",
};

typedef struct
{
  MdDiagnosis *diagnosis;
  char        *domain;
  guint        n_active; /* checks not finished yet */
} MailAuth;

/* Lookups */

typedef void (*AnswerFunc) (gpointer           data,
                            const MdDnsAnswer *answer);

typedef struct
{
  AnswerFunc func;
  gpointer   data;
} Lookup;

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(MdDnsAnswer) answer = md_dns_lookup_finish (result, NULL);

  /* No answer means the run was stopped: the same as could not ask. */
  lookup->func (lookup->data, answer);
  g_free (lookup);
}

static void
start_lookup (MailAuth   *ma,
              const char *name,
              MdDnsType   type,
              AnswerFunc  func,
              gpointer    data)
{
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->func = func;
  lookup->data = data;
  md_dns_lookup_async (NULL, name, type,
                       _md_diagnosis_step_timeout (ma->diagnosis, LOOKUP_TIMEOUT_MS),
                       _md_diagnosis_get_cancellable (ma->diagnosis), lookup_cb, lookup);
}

static gboolean
could_not_ask (const MdDnsAnswer *answer)
{
  return answer == NULL ||
         answer->status == MD_DNS_STATUS_FAILED ||
         answer->status == MD_DNS_STATUS_TIMED_OUT;
}

/* The TXT records of @answer for which @is_record says yes. */
static GPtrArray *
select_records (const MdDnsAnswer *answer,
                gboolean         (*is_record) (const char *text))
{
  GPtrArray *records = g_ptr_array_new ();

  if (answer == NULL || answer->status != MD_DNS_STATUS_FOUND || answer->values == NULL)
    return records;
  for (guint i = 0; answer->values[i] != NULL; i++)
    if (is_record (answer->values[i]))
      g_ptr_array_add (records, answer->values[i]);
  return records;
}

/* Checks */

static void
mail_auth_release (MailAuth *ma)
{
  if (--ma->n_active > 0)
    return;

  _md_diagnosis_probe_done (ma->diagnosis);
  g_object_unref (ma->diagnosis);
  g_free (ma->domain);
  g_free (ma);
}

static void
finish_check (MailAuth      *ma,
              MdCheck       *check,
              gint64         started_us,
              MdCheckStatus  status,
              const char    *summary,
              const char    *detail)
{
  md_check_set_duration_ms (check, (g_get_monotonic_time () - started_us) / 1000);
  md_check_finish (check, status, summary, detail);
  _md_diagnosis_emit (ma->diagnosis, check);
}

static void
set_evidence_uint (MdCheck    *check,
                   const char *key,
                   guint       value)
{
  g_autofree char *text = g_strdup_printf ("%u", value);

  md_check_set_evidence (check, key, text);
}

/* SPF */

typedef enum
{
  SPF_OK,
  SPF_TOO_MANY_LOOKUPS,
  SPF_LOOP,
  SPF_BROKEN_INCLUDE,
  SPF_SYNTAX,
  SPF_MULTIPLE,
  SPF_MISSING,
} SpfProblem;

/* The evidence words, by SpfProblem; a later problem outranks an earlier. */
static const char * const spf_problem_words[] = {
  NULL, "too-many-lookups", "loop", "broken-include", "syntax", "multiple", "missing",
};

typedef struct _Spf Spf;
typedef struct _SpfNode SpfNode;

struct _SpfNode
{
  Spf         *spf;
  SpfNode     *parent;
  char        *domain;       /* lower case, no trailing dot */
  guint        depth;
  gboolean     via_redirect;
  char        *text;
  MdSpfRecord *record;       /* NULL until read, or when there is none */
};

struct _Spf
{
  MailAuth   *ma;
  MdCheck    *check;
  gint64      started_us;
  char       *host;
  guint       n_pending;
  guint       n_lookups;     /* DNS-querying terms, through includes */
  guint       n_fetches;
  GPtrArray  *nodes;         /* SpfNode; the domain's own first */
  GPtrArray  *addresses;     /* GInetAddress: the submission server's */
  gboolean    unanswered;    /* the domain's own record could not be asked for */
  gboolean    incomplete;    /* some terms were not followed */
  SpfProblem  problem;
  char       *problem_detail;
  GString    *notes;
};

static void
spf_node_free (gpointer data)
{
  SpfNode *node = data;

  g_free (node->domain);
  g_free (node->text);
  g_clear_pointer (&node->record, md_spf_record_free);
  g_free (node);
}

static void
spf_free (Spf *spf)
{
  g_object_unref (spf->check);
  g_free (spf->host);
  g_ptr_array_unref (spf->nodes);
  g_ptr_array_unref (spf->addresses);
  g_free (spf->problem_detail);
  g_string_free (spf->notes, TRUE);
  g_free (spf);
}

/* Takes @detail. */
static void
spf_set_problem (Spf        *spf,
                 SpfProblem  problem,
                 char       *detail)
{
  if (problem <= spf->problem)
    {
      g_free (detail);
      return;
    }
  spf->problem = problem;
  g_free (spf->problem_detail);
  spf->problem_detail = detail;
}

static char *
normalize_domain (const char *name)
{
  char *lower = g_ascii_strdown (name, -1);
  gsize len = strlen (lower);

  if (len > 0 && lower[len - 1] == '.')
    lower[len - 1] = '\0';
  return lower;
}

static void spf_txt_cb (gpointer           data,
                        const MdDnsAnswer *answer);

static void
spf_fetch (Spf        *spf,
           SpfNode    *parent,
           const char *domain,
           gboolean    via_redirect)
{
  SpfNode *node = g_new0 (SpfNode, 1);

  node->spf = spf;
  node->parent = parent;
  node->domain = normalize_domain (domain);
  node->depth = parent != NULL ? parent->depth + 1 : 0;
  node->via_redirect = via_redirect;
  g_ptr_array_add (spf->nodes, node);

  spf->n_pending++;
  spf->n_fetches++;
  start_lookup (spf->ma, node->domain, MD_DNS_TXT, spf_txt_cb, node);
}

static gboolean
is_in_chain (SpfNode    *node,
             const char *domain)
{
  for (; node != NULL; node = node->parent)
    if (strcmp (node->domain, domain) == 0)
      return TRUE;
  return FALSE;
}

static void
spf_follow (Spf        *spf,
            SpfNode    *node,
            const char *target,
            gboolean    has_macro,
            gboolean    via_redirect)
{
  g_autofree char *domain = normalize_domain (target);

  /* A macro needs the sender's address; coverage stays unknown. */
  if (has_macro)
    spf->incomplete = TRUE;
  else if (is_in_chain (node, domain))
    spf_set_problem (spf, SPF_LOOP,
                     g_strdup_printf (_("The record of %s leads back to %s, which leads to "
                                        "it again."), node->domain, domain));
  else if (node->depth + 1 > SPF_MAX_DEPTH || spf->n_fetches >= SPF_MAX_FETCHES)
    spf->incomplete = TRUE;
  else
    spf_fetch (spf, node, domain, via_redirect);
}

static void
spf_expand (Spf     *spf,
            SpfNode *node)
{
  GPtrArray *terms = node->record->terms;
  const char *redirect = md_spf_record_get_redirect (node->record);

  for (guint i = 0; i < terms->len; i++)
    {
      const MdSpfTerm *term = g_ptr_array_index (terms, i);

      switch (term->kind)
        {
        case MD_SPF_TERM_INCLUDE:
          spf_follow (spf, node, term->value, term->has_macro, FALSE);
          break;
        case MD_SPF_TERM_A:
        case MD_SPF_TERM_MX:
        case MD_SPF_TERM_PTR:
        case MD_SPF_TERM_EXISTS:
          /* Their addresses are not resolved here. */
          spf->incomplete = TRUE;
          break;
        case MD_SPF_TERM_ALL:
        case MD_SPF_TERM_IP4:
        case MD_SPF_TERM_IP6:
        case MD_SPF_TERM_REDIRECT:
        case MD_SPF_TERM_EXP:
        case MD_SPF_TERM_MODIFIER:
        default:
          break;
        }
    }

  if (redirect != NULL)
    spf_follow (spf, node, redirect, strchr (redirect, '%') != NULL, TRUE);
}

/* What one TXT answer says about @node's record; FALSE when it is not to
 * be followed further. */
static gboolean
spf_read (Spf               *spf,
          SpfNode           *node,
          const MdDnsAnswer *answer)
{
  g_autoptr(GPtrArray) records = NULL;

  if (could_not_ask (answer))
    {
      if (node->parent == NULL)
        spf->unanswered = TRUE;
      spf->incomplete = TRUE;
      g_string_append_printf (spf->notes, _("The record of %s could not be read.\n"), node->domain);
      return FALSE;
    }

  records = select_records (answer, md_spf_is_record);
  if (records->len == 0 && node->parent == NULL)
    spf_set_problem (spf, SPF_MISSING, NULL);
  else if (records->len == 0)
    spf_set_problem (spf, SPF_BROKEN_INCLUDE,
                     g_strdup_printf (_("The record of %s names %s, which has no SPF record."),
                                      node->parent->domain, node->domain));
  else if (records->len > 1)
    spf_set_problem (spf, SPF_MULTIPLE,
                     g_strdup_printf (_("%s has %u SPF records; it must have exactly one."),
                                      node->domain, records->len));
  if (records->len != 1)
    return FALSE;

  node->text = g_strdup (g_ptr_array_index (records, 0));
  node->record = md_spf_record_parse (node->text);
  if (node->record->error != NULL)
    {
      spf_set_problem (spf, SPF_SYNTAX,
                       g_strdup_printf (_("In the record of %s: %s"), node->domain,
                                        node->record->error));
      return FALSE;
    }
  return TRUE;
}

static void spf_finish (Spf *spf);

static void
spf_pending_done (Spf *spf)
{
  if (--spf->n_pending == 0)
    spf_finish (spf);
}

static void
spf_txt_cb (gpointer           data,
            const MdDnsAnswer *answer)
{
  SpfNode *node = data;
  Spf *spf = node->spf;

  if (spf_read (spf, node, answer))
    {
      spf->n_lookups += md_spf_record_count_lookups (node->record);
      /* Past the limit receivers give up (permerror): so do we. */
      if (spf->n_lookups > MD_SPF_MAX_LOOKUPS)
        spf_set_problem (spf, SPF_TOO_MANY_LOOKUPS, NULL);
      else
        spf_expand (spf, node);
    }

  spf_pending_done (spf);
}

static void
spf_host_cb (gpointer           data,
             const MdDnsAnswer *answer)
{
  Spf *spf = data;

  if (answer != NULL && answer->status == MD_DNS_STATUS_FOUND && answer->values != NULL)
    {
      for (guint i = 0; answer->values[i] != NULL; i++)
        {
          GInetAddress *address = g_inet_address_new_from_string (answer->values[i]);

          if (address != NULL)
            g_ptr_array_add (spf->addresses, address);
        }
    }

  spf_pending_done (spf);
}

/* "yes" when a literal ip4/ip6 term lets one of the server's addresses
 * send; "unknown" when terms that were not resolved might. */
static const char *
spf_covers_server (Spf *spf)
{
  for (guint i = 0; i < spf->nodes->len; i++)
    {
      SpfNode *node = g_ptr_array_index (spf->nodes, i);

      if (node->record == NULL || node->record->error != NULL)
        continue;
      for (guint j = 0; j < spf->addresses->len; j++)
        {
          MdSpfQualifier qualifier;

          if (md_spf_record_matches_address (node->record, g_ptr_array_index (spf->addresses, j),
                                             &qualifier) &&
              qualifier == MD_SPF_QUALIFIER_PASS)
            return "yes";
        }
    }

  if (spf->addresses->len == 0 || spf->incomplete)
    return "unknown";
  return "no";
}

static SpfNode *
spf_find_redirect (Spf     *spf,
                   SpfNode *parent)
{
  for (guint i = 0; i < spf->nodes->len; i++)
    {
      SpfNode *node = g_ptr_array_index (spf->nodes, i);

      if (node->parent == parent && node->via_redirect)
        return node;
    }
  return NULL;
}

/* The "all" that ends the evaluation, through redirect= when the record
 * has none of its own (RFC 7208 §6.1). */
static const char *
spf_effective_all (Spf *spf)
{
  SpfNode *node = g_ptr_array_index (spf->nodes, 0);

  for (guint depth = 0; node != NULL && node->record != NULL && depth <= SPF_MAX_DEPTH; depth++)
    {
      const char *all = md_spf_record_get_all (node->record);

      if (all != NULL)
        return all;
      node = spf_find_redirect (spf, node);
    }
  return "none";
}

static char *
spf_problem_summary (Spf *spf)
{
  switch (spf->problem)
    {
    case SPF_MISSING:
      return g_strdup (_("Your domain does not say which servers may send its mail (no SPF "
                         "record). Receiving servers may defer or refuse your mail."));
    case SPF_MULTIPLE:
      return g_strdup (_("Your domain has more than one list of the servers that may send its "
                         "mail (SPF records), so receiving servers ignore them all. Merge them "
                         "into one record."));
    case SPF_SYNTAX:
      return g_strdup (_("Your domain's list of the servers that may send its mail (SPF record) "
                         "has a mistake, so receiving servers cannot use it."));
    case SPF_BROKEN_INCLUDE:
      return g_strdup (_("Your domain's list of the servers that may send its mail (SPF record) "
                         "points to a list that does not exist, so receiving servers cannot "
                         "use it."));
    case SPF_LOOP:
      return g_strdup (_("Your domain's list of the servers that may send its mail (SPF record) "
                         "points back to itself in a circle, so receiving servers cannot use "
                         "it."));
    case SPF_TOO_MANY_LOOKUPS:
      return g_strdup_printf (_("Your domain's list of the servers that may send its mail (SPF "
                                "record) needs more than %u lookups, more than receiving "
                                "servers allow, so they cannot use it. Remove services you no "
                                "longer use."), MD_SPF_MAX_LOOKUPS);
    case SPF_OK:
    default:
      return NULL;
    }
}

static MdCheckStatus
spf_verdict (Spf         *spf,
             const char  *all,
             const char  *covers,
             char       **summary)
{
  if (spf->problem != SPF_OK)
    {
      *summary = spf_problem_summary (spf);
      return MD_CHECK_STATUS_FAIL;
    }
  if (strcmp (all, "+all") == 0)
    {
      *summary = g_strdup (_("Your domain's SPF record lets every server on the internet send "
                             "mail in its name (+all). That protects nothing, and receiving "
                             "servers trust such domains less."));
      return MD_CHECK_STATUS_WARN;
    }
  if (strcmp (all, "?all") == 0)
    {
      *summary = g_strdup (_("Your domain's SPF record does not say what to do with mail from "
                             "servers it does not list (?all), so it gives little "
                             "protection."));
      return MD_CHECK_STATUS_WARN;
    }
  if (strcmp (covers, "no") == 0)
    {
      *summary = g_strdup_printf (_("Your mail server (%s) is not among the servers your domain "
                                    "allows to send its mail (SPF). Receiving servers may defer "
                                    "or refuse mail you send through it."), spf->host);
      return MD_CHECK_STATUS_WARN;
    }
  if (strcmp (covers, "yes") == 0)
    *summary = g_strdup (_("Your domain lists the servers that may send its mail (SPF), and "
                           "your mail server is among them."));
  else
    *summary = g_strdup (_("Your domain lists the servers that may send its mail (SPF). "
                           "Whether your mail server is among them could not be fully "
                           "checked from here."));
  return MD_CHECK_STATUS_PASS;
}

static char *
spf_detail (Spf *spf)
{
  SpfNode *top = g_ptr_array_index (spf->nodes, 0);
  g_autoptr(GString) detail = g_string_new (NULL);

  if (top->text != NULL)
    g_string_append_printf (detail, _("Record of %s: %s\n"), top->domain, top->text);
  if (spf->problem_detail != NULL)
    g_string_append_printf (detail, "%s\n", spf->problem_detail);
  if (top->text != NULL)
    g_string_append_printf (detail, _("Terms that need a DNS lookup, through includes: %u (at "
                                      "most %u are allowed).\n"), spf->n_lookups,
                            MD_SPF_MAX_LOOKUPS);
  g_string_append (detail, spf->notes->str);
  return g_strdup (g_strchomp (detail->str));
}

static void
spf_finish (Spf *spf)
{
  SpfNode *top = g_ptr_array_index (spf->nodes, 0);
  MailAuth *ma = spf->ma;
  g_autofree char *summary = NULL;
  g_autofree char *detail = NULL;
  MdCheckStatus status = MD_CHECK_STATUS_ERROR;

  if (spf->unanswered)
    {
      summary = g_strdup (_("Could not check which servers your domain allows to send its mail "
                            "(SPF), because the name servers did not answer."));
      detail = g_strdup (g_strchomp (spf->notes->str));
    }
  else
    {
      const char *all = spf_effective_all (spf);
      const char *covers = spf->problem == SPF_MISSING ? "no" : spf_covers_server (spf);

      md_check_set_evidence (spf->check, "record", top->text);
      set_evidence_uint (spf->check, "lookups", spf->n_lookups);
      md_check_set_evidence (spf->check, "all", all);
      md_check_set_evidence (spf->check, "covers_server", covers);
      md_check_set_evidence (spf->check, "problem", spf_problem_words[spf->problem]);
      status = spf_verdict (spf, all, covers, &summary);
      detail = spf_detail (spf);
    }

  finish_check (ma, spf->check, spf->started_us, status, summary, detail);
  spf_free (spf);
  mail_auth_release (ma);
}

static void
spf_start (MailAuth *ma)
{
  Spf *spf = g_new0 (Spf, 1);
  MdAccount *account = md_diagnosis_get_account (ma->diagnosis);
  GInetAddress *literal;

  ma->n_active++;
  spf->ma = ma;
  spf->check = md_check_new (MD_CHECK_AUTH_SPF);
  spf->started_us = g_get_monotonic_time ();
  spf->host = md_account_dup_host_ascii (account);
  spf->nodes = g_ptr_array_new_with_free_func (spf_node_free);
  spf->addresses = g_ptr_array_new_with_free_func (g_object_unref);
  spf->notes = g_string_new (NULL);

  /* Counted up front so that an answer arriving at once cannot finish the
   * check before the other lookup has started. */
  spf->n_pending = 1;
  spf_fetch (spf, NULL, ma->domain, FALSE);

  literal = spf->host != NULL ? g_inet_address_new_from_string (spf->host) : NULL;
  if (literal != NULL)
    g_ptr_array_add (spf->addresses, literal);
  else if (spf->host != NULL)
    {
      spf->n_pending++;
      start_lookup (ma, spf->host, MD_DNS_ADDRESS, spf_host_cb, spf);
    }

  spf_pending_done (spf);
}

/* DMARC */

typedef struct
{
  MailAuth *ma;
  MdCheck  *check;
  gint64    started_us;
  char     *asked;      /* the domain whose _dmarc was asked last */
} Dmarc;

static void
dmarc_finish (Dmarc         *dmarc,
              MdCheckStatus  status,
              const char    *summary,
              const char    *detail)
{
  MailAuth *ma = dmarc->ma;

  finish_check (ma, dmarc->check, dmarc->started_us, status, summary, detail);
  g_object_unref (dmarc->check);
  g_free (dmarc->asked);
  g_free (dmarc);
  mail_auth_release (ma);
}

static void
dmarc_set_evidence (Dmarc               *dmarc,
                    const char          *text,
                    const MdDmarcRecord *record)
{
  md_check_set_evidence (dmarc->check, "record", text);
  md_check_set_evidence (dmarc->check, "found_at", dmarc->asked);
  md_check_set_evidence (dmarc->check, "policy", record->policy);
  /* Without sp=, subdomains get p= (RFC 7489 §6.3). */
  md_check_set_evidence (dmarc->check, "subdomain_policy",
                         record->subdomain_policy != NULL ? record->subdomain_policy
                                                          : record->policy);
  set_evidence_uint (dmarc->check, "pct", record->pct);
  md_check_set_evidence (dmarc->check, "rua", record->rua != NULL ? record->rua : "");
  md_check_set_evidence (dmarc->check, "ruf", record->ruf != NULL ? record->ruf : "");
}

static char *
dmarc_detail (Dmarc               *dmarc,
              const char          *text,
              const MdDmarcRecord *record)
{
  g_autoptr(GString) detail = g_string_new (NULL);

  g_string_append_printf (detail, _("Record at _dmarc.%s: %s"), dmarc->asked, text);
  if (strcmp (dmarc->asked, dmarc->ma->domain) != 0)
    g_string_append_printf (detail, _("\nFound at %s, which also covers %s."),
                            dmarc->asked, dmarc->ma->domain);
  if (record->error != NULL)
    g_string_append_printf (detail, "\n%s", record->error);
  else if (record->pct < 100)
    g_string_append_printf (detail, _("\nThe policy applies to %u%% of the mail that fails "
                                      "the checks."), record->pct);
  if (record->error == NULL && record->rua == NULL)
    g_string_append (detail, _("\nNo address receives the reports (rua=), so nobody hears "
                               "about mail that fails the checks."));
  return g_string_free (g_steal_pointer (&detail), FALSE);
}

static void
dmarc_evaluate (Dmarc      *dmarc,
                const char *text)
{
  g_autoptr(MdDmarcRecord) record = md_dmarc_record_parse (text);
  g_autofree char *detail = dmarc_detail (dmarc, text, record);
  const char *policy;

  dmarc_set_evidence (dmarc, text, record);
  if (record->error != NULL)
    {
      md_check_set_evidence (dmarc->check, "problem", "syntax");
      dmarc_finish (dmarc, MD_CHECK_STATUS_FAIL,
                    _("Your domain's DMARC record, which tells receiving servers what to do "
                      "with forged mail, has a mistake, so they ignore it."), detail);
      return;
    }

  /* Found at the organizational domain, the subdomain policy applies. */
  policy = strcmp (dmarc->asked, dmarc->ma->domain) != 0 && record->subdomain_policy != NULL
           ? record->subdomain_policy : record->policy;
  if (strcmp (policy, "none") == 0)
    dmarc_finish (dmarc, MD_CHECK_STATUS_WARN,
                  _("Your domain's DMARC record asks receiving servers to do nothing about "
                    "forged mail (policy “none”). That is a good first step, but it does not "
                    "protect your name, and some receivers trust such domains less."), detail);
  else if (strcmp (policy, "quarantine") == 0)
    dmarc_finish (dmarc, MD_CHECK_STATUS_PASS,
                  _("Your domain tells receiving servers to put forged mail in the spam "
                    "folder (DMARC)."), detail);
  else
    dmarc_finish (dmarc, MD_CHECK_STATUS_PASS,
                  _("Your domain tells receiving servers to refuse forged mail (DMARC)."),
                  detail);
}

static void dmarc_cb (gpointer           data,
                      const MdDnsAnswer *answer);

static void
dmarc_ask (Dmarc      *dmarc,
           const char *domain)
{
  g_autofree char *name = g_strconcat ("_dmarc.", domain, NULL);

  g_free (dmarc->asked);
  dmarc->asked = g_strdup (domain);
  start_lookup (dmarc->ma, name, MD_DNS_TXT, dmarc_cb, dmarc);
}

/* The domain a subdomain's mail falls back to (RFC 7489 §3.2, §6.6.3),
 * from the public suffix list: example.co.uk for mail.example.co.uk. */
static char *
organizational_domain (const char *domain)
{
  const char *registrable = psl_registrable_domain (psl_builtin (), domain);

  if (registrable == NULL || strcmp (registrable, domain) == 0)
    return NULL;
  return g_strdup (registrable);
}

static void
dmarc_cb (gpointer           data,
          const MdDnsAnswer *answer)
{
  Dmarc *dmarc = data;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) broken = NULL;
  g_autofree char *organizational = NULL;

  if (could_not_ask (answer))
    {
      dmarc_finish (dmarc, MD_CHECK_STATUS_ERROR,
                    _("Could not check whether your domain tells receiving servers what to do "
                      "with forged mail (DMARC), because the name servers did not answer."),
                    answer != NULL ? answer->detail : NULL);
      return;
    }

  records = select_records (answer, md_dmarc_is_record);
  broken = select_records (answer, md_dmarc_mentions_version);
  if (records->len > 1)
    {
      md_check_set_evidence (dmarc->check, "found_at", dmarc->asked);
      md_check_set_evidence (dmarc->check, "problem", "multiple");
      dmarc_finish (dmarc, MD_CHECK_STATUS_FAIL,
                    _("Your domain has more than one DMARC record, so receiving servers "
                      "ignore them all. Keep only one."), NULL);
      return;
    }
  if (records->len == 1 || broken->len > 0)
    {
      dmarc_evaluate (dmarc, g_ptr_array_index (records->len == 1 ? records : broken, 0));
      return;
    }

  organizational = strcmp (dmarc->asked, dmarc->ma->domain) == 0
                   ? organizational_domain (dmarc->ma->domain) : NULL;
  if (organizational != NULL)
    {
      dmarc_ask (dmarc, organizational);
      return;
    }

  md_check_set_evidence (dmarc->check, "problem", "missing");
  dmarc_finish (dmarc, MD_CHECK_STATUS_WARN,
                _("Your domain has no DMARC record, which tells receiving servers what to do "
                  "with mail that pretends to come from you. Large providers such as Gmail "
                  "and Yahoo expect one from domains that send a lot of mail."), NULL);
}

static void
dmarc_start (MailAuth *ma)
{
  Dmarc *dmarc = g_new0 (Dmarc, 1);

  ma->n_active++;
  dmarc->ma = ma;
  dmarc->check = md_check_new (MD_CHECK_AUTH_DMARC);
  dmarc->started_us = g_get_monotonic_time ();
  dmarc_ask (dmarc, ma->domain);
}

/* DKIM */

typedef struct _Dkim Dkim;

typedef struct
{
  Dkim      *dkim;
  MdDkimKey *key;        /* NULL when none was found */
} DkimSlot;

struct _Dkim
{
  MailAuth *ma;
  MdCheck  *check;
  gint64    started_us;
  guint     n_pending;
  guint     n_unanswered;
  DkimSlot  slots[G_N_ELEMENTS (dkim_selectors)];
};

static gboolean
dkim_key_usable (const MdDkimKey *key)
{
  return key != NULL && key->error == NULL && !key->revoked &&
         (strcmp (key->key_type, "ed25519") == 0 || key->bits >= 1024);
}

static gboolean
dkim_key_short (const MdDkimKey *key)
{
  return key != NULL && key->error == NULL && !key->revoked && !dkim_key_usable (key);
}

static void
dkim_free (Dkim *dkim)
{
  for (guint i = 0; i < G_N_ELEMENTS (dkim->slots); i++)
    g_clear_pointer (&dkim->slots[i].key, md_dkim_key_free);
  g_object_unref (dkim->check);
  g_free (dkim);
}

/* Sets the evidence; returns the names of usable keys, short keys and
 * unusable ones in @usable, @short_keys and @unusable. */
static void
dkim_collect (Dkim    *dkim,
              GString *usable,
              GString *short_keys,
              GString *unusable,
              GString *detail)
{
  g_autofree char *tried = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (dkim->slots); i++)
    {
      const MdDkimKey *key = dkim->slots[i].key;
      g_autofree char *evidence_key = NULL;
      g_autofree char *describe = NULL;
      GString *list;

      if (key == NULL)
        continue;
      evidence_key = g_strconcat ("selector:", dkim_selectors[i], NULL);
      describe = md_dkim_key_describe (key);
      md_check_set_evidence (dkim->check, evidence_key, describe);

      list = dkim_key_usable (key) ? usable : dkim_key_short (key) ? short_keys : unusable;
      g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", dkim_selectors[i]);
      g_string_append_printf (detail, "%s: %s%s%s%s\n", dkim_selectors[i], describe,
                              key->testing ? _(" (marked as testing)") : "",
                              key->error != NULL ? " — " : "",
                              key->error != NULL ? key->error : "");
    }

  tried = g_strjoinv (", ", (char **)dkim_selectors);
  md_check_set_evidence (dkim->check, "selectors_tried", tried);
  g_string_append_printf (detail, _("Names tried: %s"), tried);
}

static void
dkim_finish (Dkim *dkim)
{
  MailAuth *ma = dkim->ma;
  g_autoptr(GString) usable = g_string_new (NULL);
  g_autoptr(GString) short_keys = g_string_new (NULL);
  g_autoptr(GString) unusable = g_string_new (NULL);
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *summary = NULL;
  MdCheckStatus status;

  dkim_collect (dkim, usable, short_keys, unusable, detail);

  if (usable->len > 0)
    {
      status = MD_CHECK_STATUS_PASS;
      summary = g_strdup_printf (_("Your domain publishes a key that lets receiving servers "
                                   "check that its mail is genuine (DKIM), under the name "
                                   "“%s”."), usable->str);
    }
  else if (short_keys->len > 0)
    {
      status = MD_CHECK_STATUS_WARN;
      summary = g_strdup_printf (_("Your domain's mail signing key (DKIM, “%s”) is too short: "
                                   "receiving servers ignore keys under 1024 bits. Ask your "
                                   "email provider for a 2048-bit key."), short_keys->str);
    }
  else if (unusable->len > 0)
    {
      status = MD_CHECK_STATUS_WARN;
      summary = g_strdup_printf (_("The mail signing keys (DKIM) found for your domain (“%s”) "
                                   "are withdrawn or broken."), unusable->str);
    }
  else if (dkim->n_unanswered > 0)
    {
      status = MD_CHECK_STATUS_ERROR;
      summary = g_strdup (_("Could not check all the usual places of your domain's mail "
                            "signing keys (DKIM), because the name servers did not answer."));
    }
  else
    {
      status = MD_CHECK_STATUS_WARN;
      summary = g_strdup (_("No mail signing key (DKIM) was found under the usual names. Your "
                            "domain may still have one under a private name, which cannot be "
                            "seen from outside: ask your email provider whether your mail is "
                            "signed."));
    }

  finish_check (ma, dkim->check, dkim->started_us, status, summary, detail->str);
  dkim_free (dkim);
  mail_auth_release (ma);
}

static void
dkim_cb (gpointer           data,
         const MdDnsAnswer *answer)
{
  DkimSlot *slot = data;
  Dkim *dkim = slot->dkim;
  g_autoptr(GPtrArray) records = select_records (answer, md_dkim_is_key_record);

  if (could_not_ask (answer))
    dkim->n_unanswered++;
  else if (records->len > 0)
    slot->key = md_dkim_key_parse (g_ptr_array_index (records, 0));

  if (--dkim->n_pending == 0)
    dkim_finish (dkim);
}

static void
dkim_start (MailAuth *ma)
{
  Dkim *dkim = g_new0 (Dkim, 1);

  ma->n_active++;
  dkim->ma = ma;
  dkim->check = md_check_new (MD_CHECK_AUTH_DKIM);
  dkim->started_us = g_get_monotonic_time ();
  dkim->n_pending = G_N_ELEMENTS (dkim_selectors);

  for (guint i = 0; i < G_N_ELEMENTS (dkim_selectors); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s._domainkey.%s", dkim_selectors[i], ma->domain);

      dkim->slots[i].dkim = dkim;
      start_lookup (ma, name, MD_DNS_TXT, dkim_cb, &dkim->slots[i]);
    }
}

/* MTA-STS and TLS-RPT */

typedef struct
{
  MailAuth   *ma;
  MdCheck    *check;
  gint64      started_us;
  guint       n_pending;
  GString    *detail;
} MtaSts;

/* "present", "absent", "malformed" or "could-not-ask". */
static const char *
policy_state (const MdDnsAnswer  *answer,
              gboolean          (*is_record) (const char *text),
              char             *(*check) (const char *text),
              GString            *detail,
              const char         *name)
{
  g_autoptr(GPtrArray) records = select_records (answer, is_record);
  g_autofree char *error = NULL;

  if (could_not_ask (answer))
    return "could-not-ask";
  if (records->len == 0)
    return "absent";
  /* RFC 8461 §3.1, RFC 8460 §3: anything but one record is none. */
  if (records->len > 1)
    error = g_strdup (_("There is more than one record; there must be exactly one."));
  else
    error = check (g_ptr_array_index (records, 0));

  g_string_append_printf (detail, "%s: %s%s%s\n", name,
                          (const char *)g_ptr_array_index (records, 0),
                          error != NULL ? " — " : "", error != NULL ? error : "");
  return error != NULL ? "malformed" : "present";
}

static char *
mta_sts_summary (const char     *sts,
                 const char     *rpt,
                 MdCheckStatus  *status)
{
  *status = MD_CHECK_STATUS_PASS;
  if (strcmp (sts, "could-not-ask") == 0 || strcmp (rpt, "could-not-ask") == 0)
    {
      *status = MD_CHECK_STATUS_ERROR;
      return g_strdup (_("Could not check whether your domain asks for encrypted delivery "
                         "(MTA-STS), because the name servers did not answer."));
    }
  if (strcmp (sts, "malformed") == 0 || strcmp (rpt, "malformed") == 0)
    {
      *status = MD_CHECK_STATUS_WARN;
      return g_strdup (_("Your domain's record that asks for encrypted delivery (MTA-STS) or "
                         "for reports about it (TLS-RPT) has a mistake, so other servers "
                         "ignore it."));
    }
  if (strcmp (sts, "present") == 0)
    return g_strdup (_("Your domain asks other servers to always encrypt the mail they "
                       "deliver to it (MTA-STS)."));
  return g_strdup (_("Your domain does not ask other servers to always encrypt the mail they "
                     "deliver to it (MTA-STS). That is optional and does not stop your mail "
                     "from being delivered."));
}

static void
mta_sts_done (MtaSts *m)
{
  MailAuth *ma = m->ma;
  g_autofree char *summary = NULL;
  MdCheckStatus status;

  if (--m->n_pending > 0)
    return;

  summary = mta_sts_summary (md_check_get_evidence (m->check, "mta_sts"),
                             md_check_get_evidence (m->check, "tls_rpt"), &status);
  finish_check (ma, m->check, m->started_us, status, summary,
                m->detail->len > 0 ? g_strchomp (m->detail->str) : NULL);
  g_object_unref (m->check);
  g_string_free (m->detail, TRUE);
  g_free (m);
  mail_auth_release (ma);
}

static void
mta_sts_cb (gpointer           data,
            const MdDnsAnswer *answer)
{
  MtaSts *m = data;

  md_check_set_evidence (m->check, "mta_sts",
                         policy_state (answer, md_mta_sts_is_record, md_mta_sts_record_check,
                                       m->detail, "_mta-sts"));
  mta_sts_done (m);
}

static void
tls_rpt_cb (gpointer           data,
            const MdDnsAnswer *answer)
{
  MtaSts *m = data;

  md_check_set_evidence (m->check, "tls_rpt",
                         policy_state (answer, md_tls_rpt_is_record, md_tls_rpt_record_check,
                                       m->detail, "_smtp._tls"));
  mta_sts_done (m);
}

static void
mta_sts_start (MailAuth *ma)
{
  MtaSts *m = g_new0 (MtaSts, 1);
  g_autofree char *sts_name = g_strconcat ("_mta-sts.", ma->domain, NULL);
  g_autofree char *rpt_name = g_strconcat ("_smtp._tls.", ma->domain, NULL);

  ma->n_active++;
  m->ma = ma;
  m->check = md_check_new (MD_CHECK_AUTH_MTA_STS);
  m->started_us = g_get_monotonic_time ();
  m->detail = g_string_new (NULL);
  /* Keeps the keys in this order whichever answer comes first. */
  md_check_set_evidence (m->check, "mta_sts", "could-not-ask");
  md_check_set_evidence (m->check, "tls_rpt", "could-not-ask");
  m->n_pending = 2;
  start_lookup (ma, sts_name, MD_DNS_TXT, mta_sts_cb, m);
  start_lookup (ma, rpt_name, MD_DNS_TXT, tls_rpt_cb, m);
}

/* The probe */

static const MdCheckId checks[] = {
  MD_CHECK_AUTH_SPF, MD_CHECK_AUTH_DKIM, MD_CHECK_AUTH_DMARC, MD_CHECK_AUTH_MTA_STS,
};

/* The domain of @email, as DNS wants it, or NULL. */
static char *
email_domain (const char *email)
{
  const char *at = email != NULL ? strrchr (email, '@') : NULL;
  g_autofree char *ascii = NULL;

  if (at == NULL || at[1] == '\0')
    return NULL;
  ascii = g_hostname_to_ascii (at + 1);
  return ascii != NULL ? normalize_domain (ascii) : NULL;
}

static void
skip_all (MdDiagnosis *diagnosis,
          const char  *summary)
{
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autoptr(MdCheck) check = md_check_new (checks[i]);

      md_check_finish (check, MD_CHECK_STATUS_SKIP, summary, NULL);
      _md_diagnosis_emit (diagnosis, check);
    }
}

/**
 * _md_probe_mail_auth_start:
 *
 * Reads the SPF, DMARC, DKIM and MTA-STS records of the email address's
 * domain, the four checks in parallel.
 */
void
_md_probe_mail_auth_start (MdDiagnosis *diagnosis)
{
  MdAccount *account = md_diagnosis_get_account (diagnosis);
  g_autofree char *domain = email_domain (md_account_get_email (account));
  MailAuth *ma;

  _md_diagnosis_probe_started (diagnosis);

  if (domain == NULL)
    {
      skip_all (diagnosis, _("Not tested: no email address was given"));
      _md_diagnosis_probe_done (diagnosis);
      return;
    }

  ma = g_new0 (MailAuth, 1);
  ma->diagnosis = g_object_ref (diagnosis);
  ma->domain = g_steal_pointer (&domain);

  /* Held until every check has started, so that one finishing at once
   * cannot end the probe early. */
  ma->n_active = 1;
  if (_md_diagnosis_wants (diagnosis, MD_CHECK_AUTH_SPF))
    spf_start (ma);
  if (_md_diagnosis_wants (diagnosis, MD_CHECK_AUTH_DMARC))
    dmarc_start (ma);
  if (_md_diagnosis_wants (diagnosis, MD_CHECK_AUTH_DKIM))
    dkim_start (ma);
  if (_md_diagnosis_wants (diagnosis, MD_CHECK_AUTH_MTA_STS))
    mta_sts_start (ma);
  mail_auth_release (ma);
}
