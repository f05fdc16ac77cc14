/* md-probe-rdns.c: rep.rdns, the names of the client's and the server's
 * addresses
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of the reputation probe (md-probe-reputation.c), which asks for the
 * reverse names in its first wave and for their forward confirmation in
 * its second; this reads the answers once both are in.
 */

#include "md-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "md-probe-reputation-private.h"
#include "md-reputation.h"

typedef enum
{
  NAME_UNKNOWN_ADDRESS,
  NAME_COULD_NOT_ASK,
  NAME_NONE,
  NAME_NOT_CONFIRMED,
  NAME_CONFIRMED,
} NameState;

static gboolean
forward_confirmed (const MdDnsAnswer *forward,
                   GInetAddress      *address)
{
  if (forward == NULL || forward->status != MD_DNS_STATUS_FOUND)
    return FALSE;

  for (guint i = 0; forward->values[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) found = g_inet_address_new_from_string (forward->values[i]);

      if (found != NULL && g_inet_address_equal (found, address))
        return TRUE;
    }

  return FALSE;
}

static NameState
name_state (GInetAddress      *address,
            const MdDnsAnswer *ptr,
            const MdDnsAnswer *forward)
{
  if (address == NULL)
    return NAME_UNKNOWN_ADDRESS;
  if (ptr == NULL)
    return NAME_COULD_NOT_ASK;

  switch (ptr->status)
    {
    case MD_DNS_STATUS_FOUND:
      return forward_confirmed (forward, address) ? NAME_CONFIRMED : NAME_NOT_CONFIRMED;
    case MD_DNS_STATUS_NOT_FOUND:
      return NAME_NONE;
    case MD_DNS_STATUS_FAILED:
    case MD_DNS_STATUS_TIMED_OUT:
    default:
      return NAME_COULD_NOT_ASK;
    }
}

static void
set_name_evidence (MdCheck           *check,
                   const char        *side,
                   GInetAddress      *address,
                   const MdDnsAnswer *ptr,
                   NameState          state)
{
  g_autofree char *ptr_key = g_strconcat (side, "_ptr", NULL);
  g_autofree char *confirmed_key = g_strconcat (side, "_forward_confirmed", NULL);
  const char *name = _md_rep_first_value (ptr);

  if (address == NULL)
    return;

  md_check_set_evidence (check, ptr_key, name != NULL ? name : "");
  md_check_set_evidence (check, confirmed_key, state == NAME_CONFIRMED ? "yes" : "no");
}

static gboolean
same_host (const char *a,
           const char *b)
{
  gsize len_a = strlen (a), len_b = strlen (b);

  /* A name may come with the root's dot or without it. */
  if (len_a > 0 && a[len_a - 1] == '.')
    len_a--;
  if (len_b > 0 && b[len_b - 1] == '.')
    len_b--;

  return len_a == len_b && g_ascii_strncasecmp (a, b, len_a) == 0;
}

/* Problems outrank good news, and good news outranks "could not ask". */
static MdCheckStatus
worse (MdCheckStatus a,
       MdCheckStatus b)
{
  static const guint rank[] = {
    [MD_CHECK_STATUS_SKIP] = 0, [MD_CHECK_STATUS_ERROR] = 1, [MD_CHECK_STATUS_PASS] = 2,
    [MD_CHECK_STATUS_WARN] = 3, [MD_CHECK_STATUS_FAIL] = 4,
  };

  return rank[a] >= rank[b] ? a : b;
}

static void
append_sentence (GString    *summary,
                 const char *sentence)
{
  g_string_append_printf (summary, "%s%s", summary->len > 0 ? " " : "", sentence);
}

/* A client without a proper name matters: receiving servers check it. */
static MdCheckStatus
describe_client_name (MdRep     *rep,
                      NameState  state,
                      GString   *summary)
{
  g_autofree char *ip = rep->client != NULL ? g_inet_address_to_string (rep->client) : NULL;
  const char *name = _md_rep_first_value (rep->client_ptr);
  g_autofree char *sentence = NULL;

  switch (state)
    {
    case NAME_CONFIRMED:
      sentence = g_strdup_printf (_("Your internet address %s is named %s, and the name leads "
                                    "back to it."), ip, name);
      break;
    case NAME_NOT_CONFIRMED:
      sentence = g_strdup_printf (_("Your internet address %s is named %s, but that name does "
                                    "not lead back to it. Some mail servers refuse mail sent "
                                    "straight to them from such addresses."), ip, name);
      break;
    case NAME_NONE:
      sentence = g_strdup_printf (_("Your internet address %s has no name. Many mail servers "
                                    "refuse mail sent straight to them from addresses without "
                                    "one; sending through your provider's server with a login "
                                    "avoids that."), ip);
      break;
    case NAME_COULD_NOT_ASK:
      sentence = g_strdup_printf (_("The name of your internet address %s could not be looked "
                                    "up."), ip);
      break;
    case NAME_UNKNOWN_ADDRESS:
    default:
      return MD_CHECK_STATUS_SKIP;
    }

  append_sentence (summary, sentence);
  if (state == NAME_CONFIRMED)
    return MD_CHECK_STATUS_PASS;

  return state == NAME_COULD_NOT_ASK ? MD_CHECK_STATUS_ERROR : MD_CHECK_STATUS_WARN;
}

/* The server's name is the provider's matter; it seldom stops a mail
 * program from sending, so only a missing name is worth a warning. */
static MdCheckStatus
describe_server_name (MdRep     *rep,
                      NameState  state,
                      GString   *summary)
{
  g_autofree char *ip = rep->servers != NULL ? g_inet_address_to_string (rep->servers->data)
                                             : NULL;
  const char *name = _md_rep_first_value (rep->server_ptr);
  g_autofree char *sentence = NULL;

  switch (state)
    {
    case NAME_CONFIRMED:
      sentence = g_strdup_printf (_("The mail server's address %s is named %s, and the name "
                                    "leads back to it."), ip, name);
      break;
    case NAME_NOT_CONFIRMED:
      sentence = g_strdup_printf (_("The mail server's address %s is named %s, but that name "
                                    "does not lead back to it; that is for your provider to "
                                    "look at."), ip, name);
      break;
    case NAME_NONE:
      sentence = g_strdup_printf (_("The mail server's address %s has no name. That is for your "
                                    "provider to fix; it seldom stops you from sending."), ip);
      break;
    case NAME_COULD_NOT_ASK:
      sentence = g_strdup_printf (_("The name of the mail server's address %s could not be "
                                    "looked up."), ip);
      break;
    case NAME_UNKNOWN_ADDRESS:
    default:
      return MD_CHECK_STATUS_SKIP;
    }

  append_sentence (summary, sentence);
  if (state == NAME_NONE)
    return MD_CHECK_STATUS_WARN;

  return state == NAME_COULD_NOT_ASK ? MD_CHECK_STATUS_ERROR : MD_CHECK_STATUS_PASS;
}

static void
set_greeting_evidence (MdRep   *rep,
                       MdCheck *check,
                       GString *summary)
{
  const char *greeting = _md_diagnosis_get_greeting_text (rep->diagnosis);
  g_autofree char *host = md_reputation_greeting_host (greeting);
  const char *name = _md_rep_first_value (rep->server_ptr);
  g_autofree char *sentence = NULL;

  if (host != NULL)
    md_check_set_evidence (check, "greeting_host", host);

  if (host == NULL || name == NULL)
    {
      md_check_set_evidence (check, "greeting_matches_ptr", "unknown");
      return;
    }

  if (same_host (host, name))
    {
      md_check_set_evidence (check, "greeting_matches_ptr", "yes");
      return;
    }

  md_check_set_evidence (check, "greeting_matches_ptr", "no");
  sentence = g_strdup_printf (_("The server introduces itself as %s, another name; that is "
                                "common with large providers and harmless."), host);
  append_sentence (summary, sentence);
}

void
_md_rep_emit_rdns (MdRep *rep)
{
  g_autoptr(MdCheck) check = NULL;
  g_autoptr(GString) summary = NULL;
  GInetAddress *server = rep->servers != NULL ? rep->servers->data : NULL;
  NameState client_state = name_state (rep->client, rep->client_ptr, rep->client_forward);
  NameState server_state = name_state (server, rep->server_ptr, rep->server_forward);
  MdCheckStatus status;

  if (!_md_diagnosis_wants (rep->diagnosis, MD_CHECK_REP_RDNS))
    return;

  if (client_state == NAME_UNKNOWN_ADDRESS && server_state == NAME_UNKNOWN_ADDRESS)
    {
      _md_rep_emit_skip (rep, MD_CHECK_REP_RDNS,
                         _("Not tested, because neither your internet address nor the mail "
                           "server's is known."));
      return;
    }

  check = md_check_new (MD_CHECK_REP_RDNS);
  summary = g_string_new (NULL);
  set_name_evidence (check, "client", rep->client, rep->client_ptr, client_state);
  set_name_evidence (check, "server", server, rep->server_ptr, server_state);
  /* In this order: the client's sentence comes first. */
  status = describe_client_name (rep, client_state, summary);
  status = worse (status, describe_server_name (rep, server_state, summary));
  set_greeting_evidence (rep, check, summary);

  md_check_finish (check, status, summary->str, NULL);
  _md_rep_emit (rep, check);
}
