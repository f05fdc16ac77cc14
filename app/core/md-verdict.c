/* md-verdict.c: the one answer a diagnosis gives
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The findings are the candidates; the verdict is the answer, said once
 * for every front end. It weighs them as a mail administrator would:
 *
 * - what Mail Doctor saw itself outweighs what the pasted error says;
 * - a pasted cause that a step now passing would show is contradicted:
 *   the server works now, and the error was temporary or came from a
 *   later step, such as sending to one recipient;
 * - a pasted cause no check can see (a rate limit, a spam deferral) is
 *   the answer when nothing live contradicts it, said no surer than words
 *   allow;
 * - missing SPF, DKIM or DMARC records, and the provider's own server on a
 *   blocklist, are only noticed: they never are the problem by themselves;
 * - a failure no rule explains is "cannot tell", never a guess.
 *
 * It reads only the findings and the checks, so a report read back from a
 * file gives the same verdict as the run that wrote it.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-check.h"
#include "md-enums.h"
#include "md-finding.h"
#include "md-verdict.h"

/* Words read from a paste are a good hint, never proof. */
#define PASTED_MAX      0.8
/* ... and less when the step that would show them was not tried. */
#define UNVERIFIED_MAX  0.6
/* Seen live and said by the paste too. */
#define AGREEMENT_BONUS 0.05
#define MAX_CONFIDENCE  0.95

struct _MdVerdict
{
  GObject         parent_instance;

  MdVerdictState  state;
  MdCause         cause;
  double          confidence;
  char           *title;
  char           *explanation;
  GPtrArray      *evidence;      /* MdVerdictNote */
  GPtrArray      *also_noticed;  /* MdVerdictNote */
  MdFinding      *finding;       /* the cause's, or the failure's no rule explains */
};

G_DEFINE_FINAL_TYPE (MdVerdict, md_verdict, G_TYPE_OBJECT)

/* The steps of sending: a failure there is a problem the user has now. */
static const MdCheckId sending_path[] = {
  MD_CHECK_DNS_HOST, MD_CHECK_NET_CONNECT, MD_CHECK_SMTP_GREETING, MD_CHECK_SMTP_EHLO,
  MD_CHECK_TLS_HANDSHAKE, MD_CHECK_TLS_CERTIFICATE, MD_CHECK_SMTP_AUTH, MD_CHECK_SMTP_SEND,
};

static void
note_free (gpointer data)
{
  MdVerdictNote *note = data;

  g_free (note->id);
  g_free (note->title);
  g_free (note->text);
  g_free (note);
}

static void
add_note (GPtrArray  *notes,
          const char *id,
          const char *title,
          const char *text)
{
  MdVerdictNote *note;

  /* Said once: a second note for the same thing adds nothing. */
  for (guint i = 0; i < notes->len; i++)
    if (g_strcmp0 (((MdVerdictNote *)notes->pdata[i])->id, id) == 0)
      return;

  note = g_new0 (MdVerdictNote, 1);
  note->id = g_strdup (id);
  note->title = g_strdup (title);
  note->text = g_strdup (text);
  g_ptr_array_add (notes, note);
}

static void
md_verdict_finalize (GObject *object)
{
  MdVerdict *self = (MdVerdict *)object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->explanation, g_free);
  g_clear_pointer (&self->evidence, g_ptr_array_unref);
  g_clear_pointer (&self->also_noticed, g_ptr_array_unref);
  g_clear_object (&self->finding);

  G_OBJECT_CLASS (md_verdict_parent_class)->finalize (object);
}

static void
md_verdict_class_init (MdVerdictClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_verdict_finalize;
}

static void
md_verdict_init (MdVerdict *self)
{
  self->cause = MD_CAUSE_UNKNOWN;
  self->evidence = g_ptr_array_new_with_free_func (note_free);
  self->also_noticed = g_ptr_array_new_with_free_func (note_free);
}

/* What the verdict reads -------------------------------------------------- */

static gboolean
has_status (GListModel    *checks,
            MdCheckId      id,
            MdCheckStatus  status)
{
  MdCheck *check = md_check_list_find (checks, id);

  return check != NULL && md_check_get_status (check) == status;
}

static gboolean
has_check (MdFinding *finding,
           MdCheckId  id)
{
  return g_strv_contains (md_finding_get_checks (finding), md_check_id_to_string (id));
}

static gboolean
is_pasted_only (MdFinding *finding)
{
  const char * const *checks = md_finding_get_checks (finding);

  return checks[0] != NULL && checks[1] == NULL && has_check (finding, MD_CHECK_ERROR_TEXT);
}

/* Records of the sender's domain, and the provider's own server on a
 * list: worth fixing, but not why this mail program gets a 421. */
static gboolean
is_advisory (MdFinding *finding)
{
  static const MdCheckId advisory_checks[] = {
    MD_CHECK_AUTH_SPF, MD_CHECK_AUTH_DKIM, MD_CHECK_AUTH_DMARC, MD_CHECK_AUTH_MTA_STS,
    MD_CHECK_REP_DNSBL_SERVER,
  };
  const char * const *checks = md_finding_get_checks (finding);

  for (guint i = 0; checks[i] != NULL; i++)
    {
      gboolean advisory = FALSE;

      for (gsize j = 0; j < G_N_ELEMENTS (advisory_checks); j++)
        advisory |= g_strcmp0 (checks[i], md_check_id_to_string (advisory_checks[j])) == 0;
      if (!advisory)
        return FALSE;
    }

  return checks[0] != NULL;
}

static gboolean
sending_path_failed (GListModel *checks)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sending_path); i++)
    if (has_status (checks, sending_path[i], MD_CHECK_STATUS_FAIL))
      return TRUE;

  return FALSE;
}

/* The step a pasted cause would show at if it still held, or -1 for a
 * cause no check can see (it happens later, with a recipient). */
static int
step_showing (MdCause cause)
{
  switch (cause)
    {
    case MD_CAUSE_SERVER_BUSY:
      return MD_CHECK_SMTP_GREETING;
    case MD_CAUSE_SERVER_DOWN:
    case MD_CAUSE_NETWORK_BLOCKED:
      return MD_CHECK_NET_CONNECT;
    case MD_CAUSE_TLS_PROBLEM:
      return MD_CHECK_TLS_HANDSHAKE;
    case MD_CAUSE_AUTH_FAILED:
    case MD_CAUSE_SETTINGS_WRONG:
      return MD_CHECK_SMTP_AUTH;
    case MD_CAUSE_RATE_LIMITED:
    case MD_CAUSE_BLOCKLISTED:
    case MD_CAUSE_MESSAGE_TOO_LARGE:
    case MD_CAUSE_SPAM_SUSPECTED:
    case MD_CAUSE_SENDER_AUTH_MISSING:
    case MD_CAUSE_UNKNOWN:
    default:
      return -1;
    }
}

/* Whether @cause would show at a step that now passes: then a paste that
 * names it is contradicted, the error was temporary or came later. */
static gboolean
is_ruled_out (GListModel *checks,
              MdCause     cause)
{
  int step = step_showing (cause);

  return step >= 0 && has_status (checks, step, MD_CHECK_STATUS_PASS);
}

/* Each of the finding's live checks, with what it showed in its own
 * words; the paste is said for itself. */
static void
add_finding_evidence (MdVerdict  *self,
                      GListModel *checks,
                      MdFinding  *finding)
{
  const char * const *ids = md_finding_get_checks (finding);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      MdCheckId id;
      MdCheck *check = md_check_id_from_string (ids[i], &id) ? md_check_list_find (checks, id)
                                                             : NULL;
      const char *summary = check != NULL ? md_check_get_summary (check) : NULL;

      if (check != NULL && id == MD_CHECK_ERROR_TEXT)
        continue;
      add_note (self->evidence, ids[i], NULL,
                summary != NULL ? summary : md_finding_get_explanation (finding));
    }
}

static void
notice (MdVerdict  *self,
        MdFinding  *finding)
{
  add_note (self->also_noticed, md_cause_to_string (md_finding_get_cause (finding)),
            md_finding_get_title (finding), md_finding_get_explanation (finding));
}

static void
set_problem (MdVerdict  *self,
             MdFinding  *finding,
             double      confidence)
{
  self->state = MD_VERDICT_STATE_PROBLEM_FOUND;
  self->cause = md_finding_get_cause (finding);
  self->confidence = MIN (confidence, MAX_CONFIDENCE);
  self->title = g_strdup (md_finding_get_title (finding));
  self->explanation = g_strdup (md_finding_get_explanation (finding));
  self->finding = g_object_ref (finding);
}

/* Special cases with their own words ------------------------------------ */

/* A server that takes the connection and says nothing is not "busy": that
 * is the least likely of what causes it. */
static void
name_silent_server (MdVerdict  *self,
                    GListModel *checks)
{
  MdCheck *greeting = md_check_list_find (checks, MD_CHECK_SMTP_GREETING);

  if (greeting == NULL || md_check_get_status (greeting) != MD_CHECK_STATUS_FAIL ||
      g_strcmp0 (md_check_get_evidence (greeting, "error"), "timeout") != 0)
    return;

  g_free (self->title);
  self->title = g_strdup (_("The server took the connection and said nothing"));
  g_free (self->explanation);
  self->explanation =
    g_strdup (_("The mail server accepted the connection but never greeted your mail program. "
                "Most often an antivirus program or a firewall on your computer or network "
                "holds mail connections without passing them on; this is common on ports 25 "
                "and 587 from home. Less often the server is overloaded, or something on the "
                "way drops its answer."));
}

/* The ports of net.ports that answer like a mail server, as "465, 587". */
static char *
dup_answering_ports (GListModel *checks)
{
  static const char * const ports[] = { "25", "465", "587", "2525" };
  MdCheck *check = md_check_list_find (checks, MD_CHECK_NET_PORTS);
  g_autoptr(GStrvBuilder) answering = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  for (gsize i = 0; check != NULL && i < G_N_ELEMENTS (ports); i++)
    {
      const char *state = md_check_get_evidence (check, ports[i]);

      if (g_strcmp0 (state, "smtp") == 0 || g_strcmp0 (state, "smtp-tls") == 0)
        g_strv_builder_add (answering, ports[i]);
    }
  list = g_strv_builder_end (answering);

  return list[0] != NULL ? g_strjoinv (", ", list) : NULL;
}

/* A port that turns the connection down, or never answers, is the port
 * the user typed, not necessarily a server that is down. */
static void
name_refused_port (MdVerdict  *self,
                   GListModel *checks)
{
  MdCheck *connect = md_check_list_find (checks, MD_CHECK_NET_CONNECT);
  const char *port = connect != NULL ? md_check_get_evidence (connect, "port") : NULL;
  g_autofree char *answering = NULL;

  const char *error = connect != NULL ? md_check_get_evidence (connect, "error") : NULL;

  if (connect == NULL || md_check_get_status (connect) != MD_CHECK_STATUS_FAIL || port == NULL)
    return;

  answering = dup_answering_ports (checks);

  /* Silence on the port, and on every other: the port, said plainly.
   * With another port answering, the finding already names both. */
  if (g_strcmp0 (error, "timeout") == 0 && answering == NULL)
    {
      g_free (self->title);
      /* Translators: %s is a port number, such as 587. */
      self->title = g_strdup_printf (_("Nothing answers on port %s"), port);
      g_free (self->explanation);
      self->explanation = g_strdup_printf (_("Nothing answered on port %s, the port your mail "
                                             "program is set to use, and none of the usual "
                                             "mail ports answered either. A firewall or your "
                                             "internet provider may drop the connection, or "
                                             "the server is down."), port);
      return;
    }
  if (g_strcmp0 (error, "refused") != 0)
    return;

  g_free (self->title);
  /* Translators: %s is a port number, such as 587. */
  self->title = g_strdup_printf (_("Port %s does not take connections"), port);
  g_free (self->explanation);
  if (answering != NULL)
    /* Translators: the first %s is a port number, the second a list of them. */
    self->explanation = g_strdup_printf (_("The server turned down the connection on port %s, "
                                           "the port your mail program is set to use. It "
                                           "takes mail on port %s: use that port in your mail "
                                           "program’s outgoing server settings."),
                                         port, answering);
  else
    self->explanation = g_strdup_printf (_("The server turned down the connection on port %s, "
                                           "the port your mail program is set to use, and "
                                           "none of the usual mail ports answered either. "
                                           "The server name may be wrong, or its mail service "
                                           "is down."), port);
}

/* Deciding -------------------------------------------------------------- */

static void
decide_live (MdVerdict  *self,
             GListModel *checks,
             MdFinding  *top,
             MdFinding  *pasted)
{
  double confidence = md_finding_get_confidence (top);

  set_problem (self, top, confidence);
  add_finding_evidence (self, checks, top);

  /* The paste says the same (the rules gave both to one finding, or each
   * its own): one more piece of evidence, said once. */
  if (has_check (top, MD_CHECK_ERROR_TEXT) ||
      (pasted != NULL && md_finding_get_cause (pasted) == self->cause))
    {
      self->confidence = MIN (confidence + AGREEMENT_BONUS, MAX_CONFIDENCE);
      add_note (self->evidence, md_check_id_to_string (MD_CHECK_ERROR_TEXT), NULL,
                _("The error message you gave says the same."));
    }

  name_silent_server (self, checks);
  name_refused_port (self, checks);
}

/* What was pasted, with every step that would show it now passing. */
static void
decide_works_now (MdVerdict  *self,
                  GListModel *checks,
                  MdFinding  *contradicted,
                  gboolean    pasted)
{
  self->state = MD_VERDICT_STATE_WORKS_NOW;

  if (!pasted)
    {
      self->title = g_strdup (_("Your settings work"));
      self->explanation = g_strdup (_("Mail Doctor reached your mail server, and every step "
                                      "it tried worked. If a message still waits in your "
                                      "outbox, send it again."));
      return;
    }

  self->title = g_strdup (_("Your server works now"));
  /* The title says it works now; this says what that means. */
  self->explanation = g_strdup (_("So the error you saw was temporary, or it came from a later "
                                  "step, such as sending to one recipient. Try sending again; "
                                  "if the error comes back, paste it again with the "
                                  "recipient’s address."));

  if (contradicted != NULL)
    {
      /* Translators: %s is a cause, such as “The mail server is too busy”. */
      g_autofree char *against = g_strdup_printf (_("The error message you gave pointed to "
                                                    "this: %s. Mail Doctor sees no sign of it "
                                                    "now."),
                                                  md_finding_get_title (contradicted));

      add_note (self->evidence, md_check_id_to_string (MD_CHECK_ERROR_TEXT), NULL, against);
    }
}

static void
decide_pasted (MdVerdict  *self,
               GListModel *checks,
               MdFinding  *pasted)
{
  int step = step_showing (md_finding_get_cause (pasted));
  double confidence = MIN (md_finding_get_confidence (pasted), PASTED_MAX);

  /* The step that would show it was not tried: the words are all there is. */
  if (step >= 0 && !has_status (checks, step, MD_CHECK_STATUS_PASS))
    confidence = MIN (confidence, UNVERIFIED_MAX);

  set_problem (self, pasted, confidence);
  add_note (self->evidence, md_check_id_to_string (MD_CHECK_ERROR_TEXT), NULL,
            md_finding_get_explanation (pasted));
}

static void
decide_cannot_tell (MdVerdict  *self,
                    GListModel *checks,
                    MdFinding  *unexplained)
{
  self->state = MD_VERDICT_STATE_CANNOT_TELL;
  g_set_object (&self->finding, unexplained);
  self->title = g_strdup (_("Mail Doctor cannot tell what is wrong"));
  self->explanation = g_strdup (unexplained != NULL
                                ? md_finding_get_explanation (unexplained)
                                : _("The check could not get far enough to see how your "
                                    "mail server answers. Check your internet connection "
                                    "and run the check again."));
  if (unexplained != NULL)
    add_finding_evidence (self, checks, unexplained);
}

static gboolean
has_pasted_error (GListModel *checks)
{
  MdCheck *check = md_check_list_find (checks, MD_CHECK_ERROR_TEXT);

  return check != NULL && md_check_get_status (check) != MD_CHECK_STATUS_SKIP;
}


/**
 * md_verdict_new:
 * @findings: (element-type MdFinding): the findings, most likely first,
 *   as md_findings_derive() gives them
 * @checks: (element-type MdCheck): the checks they come from
 */
MdVerdict *
md_verdict_new (GListModel *findings,
                GListModel *checks)
{
  g_autoptr(MdVerdict) self = NULL;
  MdFinding *live = NULL, *pasted = NULL, *unexplained = NULL;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (findings), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (checks), NULL);

  self = g_object_new (MD_TYPE_VERDICT, NULL);
  n = g_list_model_get_n_items (findings);

  /* The first of each kind is the most likely of it. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MdFinding) finding = g_list_model_get_item (findings, i);

      if (is_advisory (finding))
        continue;
      if (md_finding_get_cause (finding) == MD_CAUSE_UNKNOWN)
        unexplained = unexplained != NULL ? unexplained : finding;
      else if (is_pasted_only (finding))
        pasted = pasted != NULL ? pasted : finding;
      else
        live = live != NULL ? live : finding;
    }

  if (live != NULL)
    decide_live (self, checks, live, pasted);
  else if (sending_path_failed (checks) && pasted != NULL)
    /* A failure no rule explains, and a paste that names a cause. */
    decide_pasted (self, checks, pasted);
  /* A failure no rule explains, or a check that never got as far as the
   * server's greeting. */
  else if (sending_path_failed (checks) ||
           !has_status (checks, MD_CHECK_SMTP_GREETING, MD_CHECK_STATUS_PASS))
    decide_cannot_tell (self, checks, unexplained);
  else if (pasted != NULL && is_ruled_out (checks, md_finding_get_cause (pasted)))
    decide_works_now (self, checks, pasted, TRUE);
  else if (pasted != NULL)
    decide_pasted (self, checks, pasted);
  else
    decide_works_now (self, checks, NULL, has_pasted_error (checks));

  /* Everything else is only noticed: never a second problem, and never
   * what the verdict itself rejected. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MdFinding) finding = g_list_model_get_item (findings, i);
      MdCause cause = md_finding_get_cause (finding);

      if (cause == MD_CAUSE_UNKNOWN || cause == self->cause ||
          (finding == pasted && self->state == MD_VERDICT_STATE_WORKS_NOW))
        continue;
      if (is_pasted_only (finding) && self->state == MD_VERDICT_STATE_PROBLEM_FOUND &&
          is_ruled_out (checks, cause))
        continue;
      notice (self, finding);
    }

  return g_steal_pointer (&self);
}

/* Getters --------------------------------------------------------------- */

MdVerdictState
md_verdict_get_state (MdVerdict *self)
{
  g_return_val_if_fail (MD_IS_VERDICT (self), MD_VERDICT_STATE_CANNOT_TELL);

  return self->state;
}

MdCause
md_verdict_get_cause (MdVerdict *self)
{
  g_return_val_if_fail (MD_IS_VERDICT (self), MD_CAUSE_UNKNOWN);

  return self->cause;
}

double
md_verdict_get_confidence (MdVerdict *self)
{
  g_return_val_if_fail (MD_IS_VERDICT (self), 0.0);

  return self->state == MD_VERDICT_STATE_PROBLEM_FOUND ? self->confidence : 0.0;
}

const char *
md_verdict_get_title (MdVerdict *self)
{
  g_return_val_if_fail (MD_IS_VERDICT (self), NULL);

  return self->title;
}

const char *
md_verdict_get_certainty (MdVerdict *self)
{
  g_return_val_if_fail (MD_IS_VERDICT (self), NULL);

  if (self->state != MD_VERDICT_STATE_PROBLEM_FOUND)
    return NULL;
  /* Translators: how sure Mail Doctor is of the cause it names. */
  if (self->confidence >= 0.8)
    return _("Very likely");
  if (self->confidence >= 0.6)
    return _("Likely");

  return _("Possibly");
}

const char *
md_verdict_get_explanation (MdVerdict *self)
{
  g_return_val_if_fail (MD_IS_VERDICT (self), NULL);

  return self->explanation;
}

/**
 * md_verdict_get_evidence:
 *
 * Returns: (transfer none) (element-type MdVerdictNote): what decided it
 */
GPtrArray *
md_verdict_get_evidence (MdVerdict *self)
{
  g_return_val_if_fail (MD_IS_VERDICT (self), NULL);

  return self->evidence;
}

/**
 * md_verdict_get_also_noticed:
 *
 * Returns: (transfer none) (element-type MdVerdictNote): advice that is
 *   not the problem
 */
GPtrArray *
md_verdict_get_also_noticed (MdVerdict *self)
{
  g_return_val_if_fail (MD_IS_VERDICT (self), NULL);

  return self->also_noticed;
}

/**
 * md_verdict_get_finding:
 *
 * Returns: (transfer none) (nullable): the finding that decided it, with
 *   its fixes and checks: the cause's, or for "cannot tell" the failure no
 *   rule explains; %NULL when the server works now
 */
MdFinding *
md_verdict_get_finding (MdVerdict *self)
{
  g_return_val_if_fail (MD_IS_VERDICT (self), NULL);

  return self->finding;
}

/**
 * md_verdict_get_can_wait:
 *
 * Whether waiting can fix it, so that watching the server makes sense: a
 * busy or limiting server, one that is down, a network that is out, a spam
 * deferral, and what Mail Doctor cannot tell; never a setting, a password
 * or a message too large.
 */
gboolean
md_verdict_get_can_wait (MdVerdict *self)
{
  g_return_val_if_fail (MD_IS_VERDICT (self), FALSE);

  if (self->state == MD_VERDICT_STATE_CANNOT_TELL)
    return TRUE;
  if (self->state != MD_VERDICT_STATE_PROBLEM_FOUND)
    return FALSE;

  switch (self->cause)
    {
    case MD_CAUSE_SERVER_BUSY:
    case MD_CAUSE_RATE_LIMITED:
    case MD_CAUSE_SERVER_DOWN:
    case MD_CAUSE_NETWORK_BLOCKED:
    case MD_CAUSE_SPAM_SUSPECTED:
      return TRUE;
    case MD_CAUSE_BLOCKLISTED:
    case MD_CAUSE_SETTINGS_WRONG:
    case MD_CAUSE_AUTH_FAILED:
    case MD_CAUSE_TLS_PROBLEM:
    case MD_CAUSE_MESSAGE_TOO_LARGE:
    case MD_CAUSE_SENDER_AUTH_MISSING:
    case MD_CAUSE_UNKNOWN:
    default:
      return FALSE;
    }
}

const char *
md_verdict_state_to_string (MdVerdictState state)
{
  return md_enum_to_nick (MD_TYPE_VERDICT_STATE, state);
}
