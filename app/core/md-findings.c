/* md-findings.c: from check results to the causes of the 421
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each rule looks at a few checks together, the way a mail administrator
 * would, and names at most one or two causes. What the server said is read
 * with the same interpreter as a pasted error, so that a reply seen live
 * and the same reply pasted agree. Rules only speak when a check failed or
 * the user's own error message points somewhere: a healthy server gives no
 * findings at all, so there are no false alarms.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "md-check.h"
#include "md-enums.h"
#include "md-finding.h"
#include "md-findings.h"
#include "md-validate.h"

/* Seeing a reply live is stronger evidence than reading it pasted, but
 * never certainty. */
#define LIVE_BONUS       0.05
#define MAX_CONFIDENCE   0.95

typedef struct
{
  MdAccount                  *account;
  GListModel                 *checks;
  const MdInterpretCatalogue *replies;
  MdKb                       *kb;
  GPtrArray                  *findings;
} Rules;

static MdCheck *
find_check (Rules     *r,
            MdCheckId  id)
{
  return md_check_list_find (r->checks, id);
}

static gboolean
has_status (Rules         *r,
            MdCheckId      id,
            MdCheckStatus  status)
{
  MdCheck *check = find_check (r, id);

  return check != NULL && md_check_get_status (check) == status;
}

static const char *
evidence (Rules      *r,
          MdCheckId   id,
          const char *key)
{
  MdCheck *check = find_check (r, id);

  return check != NULL ? md_check_get_evidence (check, key) : NULL;
}

static MdFinding *
find_finding (Rules   *r,
              MdCause  cause)
{
  for (guint i = 0; i < r->findings->len; i++)
    if (md_finding_get_cause (r->findings->pdata[i]) == cause)
      return r->findings->pdata[i];

  return NULL;
}

static void
add_evidence (MdFinding          *finding,
              const char * const *checks,
              const char * const *fixes)
{
  for (guint i = 0; checks != NULL && checks[i] != NULL; i++)
    md_finding_add_check (finding, checks[i]);
  for (guint i = 0; fixes != NULL && fixes[i] != NULL; i++)
    md_finding_add_fix (finding, fixes[i]);
}

/* One finding per cause: a second rule for the same cause adds its
 * evidence and fixes; a surer one takes over the explanation, and its
 * fixes go first. */
static MdFinding *
add_finding (Rules              *r,
             MdCause             cause,
             double              confidence,
             const char         *explanation,
             MdCheckId           check,
             const char * const *fixes)
{
  const char *checks[] = { md_check_id_to_string (check), NULL };
  MdFinding *finding = find_finding (r, cause);
  MdFinding *better;

  if (finding != NULL && md_finding_get_confidence (finding) >= confidence)
    {
      add_evidence (finding, checks, fixes);
      return finding;
    }

  better = md_finding_new (cause, MIN (confidence, MAX_CONFIDENCE), explanation);
  add_evidence (better, checks, fixes);
  if (finding != NULL)
    {
      add_evidence (better, md_finding_get_checks (finding), md_finding_get_fixes (finding));
      g_ptr_array_remove (r->findings, finding);
    }

  g_ptr_array_add (r->findings, better);
  return better;
}

/* What the server said */

static const MdCheckId session_checks[] = {
  MD_CHECK_SMTP_GREETING, MD_CHECK_SMTP_EHLO, MD_CHECK_TLS_HANDSHAKE, MD_CHECK_SMTP_SEND,
};

static gboolean
stage_from_evidence (const char  *nick,
                     MdSmtpStage *stage)
{
  int value;

  if (!md_enum_from_nick (MD_TYPE_SMTP_STAGE, nick, &value))
    return FALSE;

  *stage = value;
  return TRUE;
}

static char *
dup_reply_words (MdCheck *check)
{
  const char *code = md_check_get_evidence (check, "code");
  const char *text = md_check_get_evidence (check, "text");

  return g_strdup_printf ("%s %s", code, text != NULL ? text : "");
}

static void
rule_live_reply (Rules     *r,
                 MdCheckId  id)
{
  MdCheck *check = find_check (r, id);
  g_autofree char *words = NULL;
  g_autoptr(MdInterpretation) meaning = NULL;
  g_autofree char *explanation = NULL;
  MdSmtpStage stage = MD_SMTP_STAGE_GREETING;

  if (check == NULL || md_check_get_status (check) != MD_CHECK_STATUS_FAIL ||
      md_check_get_evidence (check, "code") == NULL)
    return;

  words = dup_reply_words (check);
  stage_from_evidence (md_check_get_evidence (check, "stage"), &stage);
  /* The step matters: "too many connections" in the greeting is the
   * server's own limit, later in the session the sender's. */
  meaning = md_interpret_reply (r->replies, words, stage);
  /* A reply that names no cause is left to the rule for failures no rule
   * explains, which says so. */
  if (meaning->cause == MD_CAUSE_UNKNOWN)
    return;
  explanation = g_strdup_printf (_("The mail server answered “%s”. %s"),
                                 words, meaning->explanation);

  add_finding (r, meaning->cause, meaning->confidence + LIVE_BONUS, explanation, id,
               (const char * const *)meaning->fixes);
}

/* Reaching the server */

static const guint usual_ports[] = { 587, 465, 2525, 25 };

static gboolean
port_answers (Rules *r,
              guint  port)
{
  g_autofree char *key = g_strdup_printf ("%u", port);
  const char *state = evidence (r, MD_CHECK_NET_PORTS, key);

  return g_strcmp0 (state, "smtp") == 0 || g_strcmp0 (state, "smtp-tls") == 0;
}

/* The best port the server does take mail on, other than @except; 0 when
 * none answers. */
static guint
other_answering_port (Rules *r,
                      guint  except)
{
  for (guint i = 0; i < G_N_ELEMENTS (usual_ports); i++)
    if (usual_ports[i] != except && port_answers (r, usual_ports[i]))
      return usual_ports[i];

  return 0;
}

static const char * const network_fixes[] = { "check-network", "verify-settings", NULL };
static const char * const port_fixes[] = { "verify-settings", "check-network", NULL };
static const char * const down_fixes[] = { "check-server-status", "retry-later",
                                           "contact-provider", NULL };

static void
other_port_answers (Rules       *r,
                    const char  *error,
                    guint        port,
                    guint        other)
{
  g_autofree char *wrong = g_strdup_printf (_("Your mail program is set to use port %u, but "
                                              "this server takes mail on port %u. Change the "
                                              "port in your mail program’s outgoing server "
                                              "settings."), port, other);
  MdFinding *finding;

  if (g_strcmp0 (error, "timeout") == 0)
    {
      g_autofree char *blocked =
        g_strdup_printf (_("Nothing answers on port %u, while port %u of the same server "
                           "answers. A firewall or your internet provider most likely blocks "
                           "port %u: many providers block port 25 to stop spam."),
                         port, other, port);

      add_finding (r, MD_CAUSE_NETWORK_BLOCKED, 0.85, blocked, MD_CHECK_NET_CONNECT,
                   network_fixes);
    }

  finding = add_finding (r, MD_CAUSE_SETTINGS_WRONG, 0.8, wrong, MD_CHECK_NET_CONNECT,
                         port_fixes);
  md_finding_add_check (finding, md_check_id_to_string (MD_CHECK_NET_PORTS));
}

static void
no_port_answers (Rules      *r,
                 const char *error)
{
  if (g_strcmp0 (error, "refused") == 0)
    add_finding (r, MD_CAUSE_SERVER_DOWN, 0.7,
                 _("The server’s computer is there, but no mail service answers on it. The "
                   "mail server is probably down, or the server name is not the right one."),
                 MD_CHECK_NET_CONNECT, down_fixes);
  else if (g_strcmp0 (error, "unreachable") == 0)
    add_finding (r, MD_CAUSE_NETWORK_BLOCKED, 0.8,
                 _("This computer cannot reach the mail server at all. Check that you are "
                   "online, and that no firewall or VPN stands in the way."),
                 MD_CHECK_NET_CONNECT, network_fixes);
  else if (g_strcmp0 (error, "closed") == 0)
    add_finding (r, MD_CAUSE_SERVER_BUSY, 0.6,
                 _("The mail server hung up as soon as we connected, without a word. Busy "
                   "servers do this when they cannot take more connections."),
                 MD_CHECK_NET_CONNECT, down_fixes);
  else
    add_finding (r, MD_CAUSE_NETWORK_BLOCKED, 0.6,
                 _("The mail server does not answer on any of the usual ports. Either it is "
                   "down, or a firewall on the way silently drops the connection."),
                 MD_CHECK_NET_CONNECT, network_fixes);
}

static void
rule_connect (Rules *r)
{
  const char *error = evidence (r, MD_CHECK_NET_CONNECT, "error");
  guint port = md_account_get_effective_port (r->account);
  guint other;

  if (!has_status (r, MD_CHECK_NET_CONNECT, MD_CHECK_STATUS_FAIL))
    return;

  other = other_answering_port (r, port);
  if (other != 0)
    other_port_answers (r, error, port, other);
  else
    no_port_answers (r, error);
}

static void
rule_dns (Rules *r)
{
  const char *error = evidence (r, MD_CHECK_DNS_HOST, "error");
  static const char * const fixes[] = { "verify-settings", NULL };

  if (!has_status (r, MD_CHECK_DNS_HOST, MD_CHECK_STATUS_FAIL))
    return;

  if (g_strcmp0 (error, "not-found") == 0)
    add_finding (r, MD_CAUSE_SETTINGS_WRONG, 0.9,
                 _("The outgoing server’s name does not exist. It is probably mistyped in "
                   "your mail program’s settings."),
                 MD_CHECK_DNS_HOST, fixes);
  else
    add_finding (r, MD_CAUSE_NETWORK_BLOCKED, 0.7,
                 _("The outgoing server’s name could not be looked up. Your internet "
                   "connection, or its name service, is not working properly."),
                 MD_CHECK_DNS_HOST, network_fixes);
}

/* A server that takes the connection and then says nothing is either
 * swamped, or something in between (a firewall, an antivirus that scans
 * mail) holds the connection without passing it on. */
static void
rule_silent_greeting (Rules *r)
{
  /* In the order the verdict ranks the causes: what holds the port, the
   * network, then the server. */
  static const char * const fixes[] = { "antivirus-tls", "check-network", "retry-later",
                                        "check-server-status", NULL };

  if (!has_status (r, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_FAIL) ||
      g_strcmp0 (evidence (r, MD_CHECK_SMTP_GREETING, "error"), "timeout") != 0)
    return;

  add_finding (r, MD_CAUSE_SERVER_BUSY, 0.6,
               _("The mail server took the connection but never said hello. Overloaded "
                 "servers do this; so do firewalls and antivirus programs that hold mail "
                 "connections without passing them on."),
               MD_CHECK_SMTP_GREETING, fixes);
}

/* Encryption */

static void
rule_tls_versions (Rules *r)
{
  static const char * const fixes[] = { "contact-provider", "verify-settings", NULL };

  if (!has_status (r, MD_CHECK_TLS_VERSIONS, MD_CHECK_STATUS_FAIL))
    return;

  add_finding (r, MD_CAUSE_TLS_PROBLEM, 0.85,
               _("The mail server only offers outdated encryption (TLS 1.0 or 1.1). Current "
                 "mail programs and providers refuse it, and some answer it with 421. Only the "
                 "server’s owner can update it; ask your provider whether it has a newer "
                 "server name for you to use."),
               MD_CHECK_TLS_VERSIONS, fixes);
}

static void
rule_tls_handshake (Rules *r)
{
  static const char * const not_offered_fixes[] = { "verify-settings", "contact-provider", NULL };
  static const char * const fixes[] = { "antivirus-tls", "update-mail-program",
                                        "verify-settings", NULL };

  if (!has_status (r, MD_CHECK_TLS_HANDSHAKE, MD_CHECK_STATUS_FAIL) ||
      evidence (r, MD_CHECK_TLS_HANDSHAKE, "code") != NULL)
    return;

  if (g_strcmp0 (evidence (r, MD_CHECK_TLS_HANDSHAKE, "starttls"), "not-offered") == 0)
    add_finding (r, MD_CAUSE_SETTINGS_WRONG, 0.75,
                 _("The server does not offer encryption on this port, so your mail program "
                   "cannot send your password safely. Use the port and security your "
                   "provider gives for sending: usually 587 with STARTTLS, or 465 with "
                   "SSL/TLS."),
                 MD_CHECK_TLS_HANDSHAKE, not_offered_fixes);
  else
    add_finding (r, MD_CAUSE_TLS_PROBLEM, 0.8,
                 _("The secure connection with the server could not be set up. An antivirus "
                   "program that scans mail, an outdated mail program, or the wrong security "
                   "setting can cause this."),
                 MD_CHECK_TLS_HANDSHAKE, fixes);
}

static void
rule_tls_certificate (Rules *r)
{
  const char *verdict = evidence (r, MD_CHECK_TLS_CERTIFICATE, "verdict");
  static const char * const intercepted_fixes[] = { "antivirus-tls", "verify-settings", NULL };
  static const char * const name_fixes[] = { "verify-settings", "antivirus-tls", NULL };
  static const char * const server_fixes[] = { "contact-provider", NULL };

  if (!has_status (r, MD_CHECK_TLS_CERTIFICATE, MD_CHECK_STATUS_FAIL))
    return;

  if (g_strcmp0 (verdict, "self-signed") == 0 || g_strcmp0 (verdict, "unknown-issuer") == 0)
    add_finding (r, MD_CAUSE_TLS_PROBLEM, 0.75,
                 _("The server’s certificate is not from a known authority. Either something "
                   "on your computer or network (often an antivirus that scans mail) steps "
                   "into the connection, or the server is set up with its own certificate."),
                 MD_CHECK_TLS_CERTIFICATE, intercepted_fixes);
  else if (g_strcmp0 (verdict, "name-mismatch") == 0)
    add_finding (r, MD_CAUSE_TLS_PROBLEM, 0.75,
                 _("The server’s certificate is made out to another name. The server name in "
                   "your mail program is probably not the one your provider gives."),
                 MD_CHECK_TLS_CERTIFICATE, name_fixes);
  else
    add_finding (r, MD_CAUSE_TLS_PROBLEM, 0.75,
                 _("The server’s certificate is not valid (for example, it has expired). Only "
                   "the server’s owner can fix this."),
                 MD_CHECK_TLS_CERTIFICATE, server_fixes);
}

/* Signing in */

static const MdProvider *
find_provider (Rules *r)
{
  g_autofree char *domain = md_email_dup_domain (md_account_get_email (r->account));

  return domain != NULL ? md_kb_find_provider_by_domain (r->kb, domain) : NULL;
}

static char *
dup_auth_explanation (const MdProvider *provider,
                      const char       *words)
{
  if (provider != NULL && provider->oauth_only)
    return g_strdup_printf (_("The server refused your username or password (it said “%s”). "
                              "%s no longer accepts passwords from mail programs: add the "
                              "account again in your mail program and sign in through %s’s "
                              "own sign-in window."),
                            words, provider->name, provider->name);
  if (provider != NULL && provider->app_password)
    return g_strdup_printf (_("The server refused your username or password (it said “%s”). "
                              "%s needs an app password for mail programs, not the password "
                              "you use on its website."),
                            words, provider->name);

  return g_strdup_printf (_("The server refused your username or password (it said “%s”). "
                            "Check both for typing mistakes; some providers need an app "
                            "password for mail programs."), words);
}

static void
rule_auth_refused (Rules *r)
{
  MdCheck *check = find_check (r, MD_CHECK_SMTP_AUTH);
  const MdProvider *provider = find_provider (r);
  static const char * const app_first[] = { "app-password", "verify-settings", NULL };
  static const char * const settings_first[] = { "verify-settings", "app-password", NULL };
  g_autofree char *words = NULL;
  g_autofree char *explanation = NULL;
  guint64 code;

  if (check == NULL || md_check_get_status (check) != MD_CHECK_STATUS_FAIL ||
      md_check_get_evidence (check, "code") == NULL)
    return;

  words = dup_reply_words (check);
  code = g_ascii_strtoull (md_check_get_evidence (check, "code"), NULL, 10);
  if (code == 421 || code == 454)
    {
      /* A temporary refusal says more in its words than in its code. */
      rule_live_reply (r, MD_CHECK_SMTP_AUTH);
      return;
    }

  explanation = dup_auth_explanation (provider, words);
  add_finding (r, MD_CAUSE_AUTH_FAILED, 0.9, explanation, MD_CHECK_SMTP_AUTH,
               provider != NULL && (provider->app_password || provider->oauth_only)
               ? app_first : settings_first);
}

/* Signing in is what makes a server relay for you; a run that did not
 * sign in successfully is sending the way a server would. */
static gboolean
uses_port_25_without_login (Rules *r)
{
  return md_account_get_effective_port (r->account) == 25 &&
         !has_status (r, MD_CHECK_SMTP_AUTH, MD_CHECK_STATUS_PASS);
}

static void
rule_auth_skipped (Rules *r)
{
  const char *reason = evidence (r, MD_CHECK_SMTP_AUTH, "reason");
  static const char * const fixes[] = { "verify-settings", NULL };

  if (!has_status (r, MD_CHECK_SMTP_AUTH, MD_CHECK_STATUS_SKIP))
    return;

  if (g_strcmp0 (reason, "unencrypted") == 0)
    add_finding (r, MD_CAUSE_SETTINGS_WRONG, 0.7,
                 _("Your mail program is set to send without encryption, so it would send your "
                   "password where others can read it, and most servers refuse that. Turn on "
                   "encryption: STARTTLS on port 587, or SSL/TLS on port 465."),
                 MD_CHECK_SMTP_AUTH, fixes);
  else if (g_strcmp0 (reason, "no-auth-offered") == 0 &&
           md_account_get_effective_port (r->account) == 25 &&
           md_account_has_password (r->account))
    add_finding (r, MD_CAUSE_SETTINGS_WRONG, 0.7,
                 _("Port 25 is where mail servers pass mail among themselves; this server "
                   "does not let mail programs sign in there. Use your provider’s sending "
                   "port instead, usually 587."),
                 MD_CHECK_SMTP_AUTH, fixes);
}

/* Size */

static void
rule_size (Rules *r)
{
  const char *limit_text = evidence (r, MD_CHECK_SMTP_SIZE, "limit_bytes");
  guint64 size = md_account_get_message_size (r->account);
  static const char * const fixes[] = { "clear-outbox", "retry-later", NULL };
  g_autofree char *message = NULL;
  g_autofree char *limit_words = NULL;
  g_autofree char *explanation = NULL;
  guint64 limit;

  if (limit_text == NULL || size == 0)
    return;

  limit = g_ascii_strtoull (limit_text, NULL, 10);
  if (limit == 0 || size <= limit)
    return;

  message = g_format_size (size);
  limit_words = g_format_size (limit);
  explanation = g_strdup_printf (_("Your message is %s, but this server takes messages of at "
                                   "most %s. While it sits in the outbox, your mail program "
                                   "tries it again and again, and the server keeps refusing."),
                                 message, limit_words);
  add_finding (r, MD_CAUSE_MESSAGE_TOO_LARGE, 0.9, explanation, MD_CHECK_SMTP_SIZE, fixes);
}

/* Reputation */

static void
rule_blocklists (Rules *r)
{
  static const char * const listed_fixes[] = { "check-blocklists", "contact-provider", NULL };
  static const char * const policy_fixes[] = { "verify-settings", NULL };

  if (has_status (r, MD_CHECK_REP_DNSBL, MD_CHECK_STATUS_FAIL))
    add_finding (r, MD_CAUSE_BLOCKLISTED, 0.85,
                 _("Your internet address is on a spam blocklist, so servers that consult the "
                   "list turn your mail away. The list’s page says why and how to ask for "
                   "removal."),
                 MD_CHECK_REP_DNSBL, listed_fixes);
  else if (has_status (r, MD_CHECK_REP_DNSBL, MD_CHECK_STATUS_WARN) &&
           uses_port_25_without_login (r))
    add_finding (r, MD_CAUSE_SETTINGS_WRONG, 0.8,
                 _("Your internet address is on a list of home and office connections that "
                   "should not deliver mail directly (a policy list such as Spamhaus PBL). "
                   "That is normal, and it means you should send through your provider’s "
                   "server: port 587, with your username and password."),
                 MD_CHECK_REP_DNSBL, policy_fixes);

  if (has_status (r, MD_CHECK_REP_DNSBL_DOMAIN, MD_CHECK_STATUS_FAIL))
    add_finding (r, MD_CAUSE_BLOCKLISTED, 0.7,
                 _("Your email domain is on a blocklist of domains seen in spam."),
                 MD_CHECK_REP_DNSBL_DOMAIN, listed_fixes);

  if (has_status (r, MD_CHECK_REP_DNSBL_SERVER, MD_CHECK_STATUS_FAIL))
    add_finding (r, MD_CAUSE_BLOCKLISTED, 0.5,
                 _("Your mail server’s own address is on a spam blocklist, so other servers "
                   "may refuse the mail it passes on. Only your provider can fix that."),
                 MD_CHECK_REP_DNSBL_SERVER, listed_fixes + 1);
}

/* The user's own error message */

static gboolean
spf_missing (Rules *r)
{
  return has_status (r, MD_CHECK_AUTH_SPF, MD_CHECK_STATUS_FAIL) ||
         has_status (r, MD_CHECK_AUTH_SPF, MD_CHECK_STATUS_WARN);
}

/* A deferral for missing sender authentication, and a domain without SPF:
 * the two together say more than either alone. */
static void
add_sender_auth (Rules *r)
{
  static const char * const fixes[] = { "setup-sender-auth", "contact-provider", NULL };
  MdFinding *finding;

  finding = add_finding (r, MD_CAUSE_SENDER_AUTH_MISSING, 0.9,
                         _("The receiving server defers your mail because it cannot confirm "
                           "it comes from your domain, and your domain publishes no SPF "
                           "record saying which servers may send its mail. Setting up SPF, "
                           "DKIM and DMARC tells receivers your mail is genuine."),
                         MD_CHECK_ERROR_TEXT, fixes);
  md_finding_add_check (finding, md_check_id_to_string (MD_CHECK_AUTH_SPF));
}

static const MdCheckId sender_auth_checks[] = {
  MD_CHECK_AUTH_SPF, MD_CHECK_AUTH_DKIM, MD_CHECK_AUTH_DMARC,
};

/* A broken or missing record is a real problem, but on its own not
 * necessarily this 421's cause: a weak finding, that an error message
 * speaking of authentication makes strong (add_sender_auth). */
static void
rule_sender_records (Rules *r)
{
  static const char * const fixes[] = { "setup-sender-auth", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (sender_auth_checks); i++)
    {
      MdCheck *check = find_check (r, sender_auth_checks[i]);
      g_autofree char *explanation = NULL;

      if (check == NULL || md_check_get_status (check) != MD_CHECK_STATUS_FAIL)
        continue;

      explanation = g_strdup_printf (_("%s Receiving servers may hold back or refuse mail "
                                       "from your domain because of it."),
                                     md_check_get_summary (check));
      add_finding (r, MD_CAUSE_SENDER_AUTH_MISSING, 0.5, explanation, sender_auth_checks[i],
                   fixes);
    }
}

static void
rule_error_text (Rules *r)
{
  MdCheck *check = find_check (r, MD_CHECK_ERROR_TEXT);
  const char *text = md_account_get_error_text (r->account);
  g_autoptr(MdInterpretation) meaning = NULL;
  g_autofree char *explanation = NULL;

  if (check == NULL || text == NULL || md_check_get_status (check) == MD_CHECK_STATUS_SKIP)
    return;

  /* The catalogue tells a sender-authentication deferral from a refused
   * login, which both speak of "authentication". */
  meaning = md_interpret_error_text (r->replies, text);
  if (meaning->cause == MD_CAUSE_SENDER_AUTH_MISSING && spf_missing (r))
    {
      add_sender_auth (r);
      return;
    }
  /* Words no rule knows, or a reply that gives no reason: the check said
   * so already, and the live checks tell the cause. */
  if (meaning->confidence <= 0.0 || meaning->cause == MD_CAUSE_UNKNOWN)
    return;

  explanation = g_strdup_printf (_("The error message you gave says: %s"),
                                 meaning->explanation);
  add_finding (r, meaning->cause, meaning->confidence, explanation, MD_CHECK_ERROR_TEXT,
               (const char * const *)meaning->fixes);
}

/* The sending path must work: a failure there that no rule explains is
 * still a problem, named as such rather than hidden. */
static const MdCheckId sending_path[] = {
  MD_CHECK_DNS_HOST, MD_CHECK_NET_CONNECT, MD_CHECK_SMTP_GREETING, MD_CHECK_SMTP_EHLO,
  MD_CHECK_TLS_HANDSHAKE, MD_CHECK_TLS_CERTIFICATE, MD_CHECK_SMTP_AUTH, MD_CHECK_SMTP_SEND,
};

static gboolean
is_explained (Rules     *r,
              MdCheckId  id)
{
  const char *name = md_check_id_to_string (id);

  for (guint i = 0; i < r->findings->len; i++)
    if (g_strv_contains (md_finding_get_checks (r->findings->pdata[i]), name))
      return TRUE;

  return FALSE;
}

static void
rule_unexplained (Rules *r)
{
  static const char * const fixes[] = { "retry-later", "contact-provider", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (sending_path); i++)
    {
      MdCheck *check = find_check (r, sending_path[i]);

      if (check != NULL && md_check_get_status (check) == MD_CHECK_STATUS_FAIL &&
          !is_explained (r, sending_path[i]))
        add_finding (r, MD_CAUSE_UNKNOWN, 0.3, md_check_get_summary (check), sending_path[i],
                     fixes);
    }
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  MdFinding *fa = *(MdFinding **)a;
  MdFinding *fb = *(MdFinding **)b;
  double ca = md_finding_get_confidence (fa);
  double cb = md_finding_get_confidence (fb);

  if (ca != cb)
    return ca > cb ? -1 : 1;

  return (int)md_finding_get_cause (fa) - (int)md_finding_get_cause (fb);
}

/**
 * md_findings_derive:
 *
 * Returns: (transfer full): the findings, most important first
 */
GListModel *
md_findings_derive (MdAccount                  *account,
                    GListModel                 *checks,
                    const MdInterpretCatalogue *replies,
                    MdKb                       *kb)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func (g_object_unref);
  Rules r = { account, checks, replies, kb, findings };
  GListStore *store;

  g_return_val_if_fail (MD_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (checks), NULL);
  g_return_val_if_fail (replies != NULL, NULL);
  g_return_val_if_fail (MD_IS_KB (kb), NULL);

  rule_dns (&r);
  rule_connect (&r);
  rule_silent_greeting (&r);
  for (guint i = 0; i < G_N_ELEMENTS (session_checks); i++)
    rule_live_reply (&r, session_checks[i]);
  rule_tls_versions (&r);
  rule_tls_handshake (&r);
  rule_tls_certificate (&r);
  rule_auth_refused (&r);
  rule_auth_skipped (&r);
  rule_size (&r);
  rule_blocklists (&r);
  rule_error_text (&r);
  rule_sender_records (&r);
  rule_unexplained (&r);

  g_ptr_array_sort (findings, compare_findings);
  store = g_list_store_new (MD_TYPE_FINDING);
  g_list_store_splice (store, 0, 0, findings->pdata, findings->len);

  return G_LIST_MODEL (store);
}
