/* md-probe-spf.c: auth.spf, the sender's domain's SPF record and the
 * records it includes
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of the mail authentication probe (md-probe-mail-auth.c). Receivers
 * follow include: and redirect= to decide, so the check walks them too,
 * all at once and under bounds, to find what receivers would stumble over:
 * a missing or broken include, a loop, too many lookups.
 */

#include "md-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "md-mail-auth.h"
#include "md-probe-mail-auth-private.h"

/* Bounds on following SPF's include and redirect: RFC 7208 §4.6.4 stops
 * at 10 counted terms; these stop a hostile chain whatever it counts. */
#define SPF_MAX_FETCHES 20
#define SPF_MAX_DEPTH 10

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
  MdAuthProbe *ma;
  MdCheck     *check;
  gint64       started_us;
  char        *host;
  guint        n_pending;
  guint        n_lookups;     /* DNS-querying terms, through includes */
  guint        n_fetches;
  GPtrArray   *nodes;         /* SpfNode; the domain's own first */
  GPtrArray   *addresses;     /* GInetAddress: the submission server's */
  gboolean     unanswered;    /* the domain's own record could not be asked for */
  gboolean     incomplete;    /* some terms were not followed */
  SpfProblem   problem;
  char        *problem_detail;
  GString     *notes;
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
  node->domain = _md_auth_normalize_domain (domain);
  node->depth = parent != NULL ? parent->depth + 1 : 0;
  node->via_redirect = via_redirect;
  g_ptr_array_add (spf->nodes, node);

  spf->n_pending++;
  spf->n_fetches++;
  _md_auth_lookup (spf->ma, node->domain, MD_DNS_TXT, spf_txt_cb, node);
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
  g_autofree char *domain = _md_auth_normalize_domain (target);

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

  if (_md_auth_could_not_ask (answer))
    {
      if (node->parent == NULL)
        spf->unanswered = TRUE;
      spf->incomplete = TRUE;
      g_string_append_printf (spf->notes, _("The record of %s could not be read.\n"), node->domain);
      return FALSE;
    }

  records = _md_auth_select_records (answer, md_spf_is_record);
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
  MdAuthProbe *ma = spf->ma;
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
      _md_auth_set_evidence_uint (spf->check, "lookups", spf->n_lookups);
      md_check_set_evidence (spf->check, "all", all);
      md_check_set_evidence (spf->check, "covers_server", covers);
      md_check_set_evidence (spf->check, "problem", spf_problem_words[spf->problem]);
      status = spf_verdict (spf, all, covers, &summary);
      detail = spf_detail (spf);
    }

  _md_auth_finish_check (ma, spf->check, spf->started_us, status, summary, detail);
  spf_free (spf);
  _md_auth_release (ma);
}

void
_md_auth_spf_start (MdAuthProbe *ma)
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
      _md_auth_lookup (ma, spf->host, MD_DNS_ADDRESS, spf_host_cb, spf);
    }

  spf_pending_done (spf);
}
