/* md-diagnosis.c: runs the checks for one account under one deadline
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session probe goes first, alone: it talks to the server the way the
 * user's mail program does, and its evidence matters most. The port and
 * TLS-version probes open several more connections at once, which a server
 * with a connection limit would answer with exactly the 421 we are
 * diagnosing, so they wait until the session has said QUIT.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-compat.h"
#include "md-deadline.h"
#include "md-diagnosis-private.h"
#include "md-enums.h"
#include "md-finding.h"
#include "md-findings.h"
#include "md-fix.h"

struct _MdDiagnosis
{
  GObject       parent_instance;

  MdAccount    *account;
  MdTranscript *transcript;
  GListStore   *checks;
  MdKb         *kb;
  MdInterpretCatalogue *replies;
  GListModel   *fix_catalogue;
  gboolean      kb_pending;     /* read when the main loop is idle */
  guint         timeout_ms;
  guint32       skipped;

  /* What the last run or re-check concluded. */
  GListStore   *findings;
  GListStore   *fixes;

  /* Set during a re-check: only these checks run (a bit set, as skipped). */
  guint32       only;
  MdCheckId     recheck_id;

  /* Set while a run is in progress. */
  GTask        *task;
  MdDeadline   *deadline;
  gint64        started_us;
  guint         n_active;

  /* What the session learned, for the probes that follow it. */
  GList        *addresses;
  GInetAddress *local_address;
  char         *greeting_text;
  char         *ehlo_text;
  GInetAddress *connected_address;
  gboolean      implicit_tls;
  gboolean      starttls_offered;
  gboolean      followers_started;
  gboolean      reputation_started;
};

G_DEFINE_FINAL_TYPE (MdDiagnosis, md_diagnosis, G_TYPE_OBJECT)

enum {
  CHECK_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Skipped checks are a bit set over the check ids. */
G_STATIC_ASSERT (MD_CHECK_ERROR_TEXT < 32);

static void
forget_session (MdDiagnosis *self)
{
  g_list_free_full (g_steal_pointer (&self->addresses), g_object_unref);
  g_clear_object (&self->local_address);
  g_clear_object (&self->connected_address);
  g_clear_pointer (&self->greeting_text, g_free);
  g_clear_pointer (&self->ehlo_text, g_free);
  self->implicit_tls = self->starttls_offered = FALSE;
  self->followers_started = FALSE;
  self->reputation_started = FALSE;
}

static void
md_diagnosis_dispose (GObject *object)
{
  MdDiagnosis *self = (MdDiagnosis *)object;

  g_clear_object (&self->account);
  g_clear_object (&self->transcript);
  g_clear_object (&self->checks);
  g_clear_object (&self->kb);
  g_clear_pointer (&self->replies, md_interpret_catalogue_free);
  g_clear_object (&self->fix_catalogue);
  g_clear_object (&self->findings);
  g_clear_object (&self->fixes);
  forget_session (self);
  g_clear_pointer (&self->deadline, md_deadline_free);

  G_OBJECT_CLASS (md_diagnosis_parent_class)->dispose (object);
}

static void
md_diagnosis_class_init (MdDiagnosisClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = md_diagnosis_dispose;

  /**
   * MdDiagnosis::check-finished:
   * @check: the check that just finished
   *
   * Emitted on the main context as each check finishes, for live progress.
   */
  signals[CHECK_FINISHED] =
    g_signal_new ("check-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MD_TYPE_CHECK);
}

static void
md_diagnosis_init (MdDiagnosis *self)
{
  self->checks = g_list_store_new (MD_TYPE_CHECK);
  self->findings = g_list_store_new (MD_TYPE_FINDING);
  self->fixes = g_list_store_new (MD_TYPE_FIX);
  self->transcript = md_transcript_new ();
  self->timeout_ms = MD_DIAGNOSIS_DEFAULT_TIMEOUT_MS;
}

MdDiagnosis *
md_diagnosis_new (MdAccount *account)
{
  MdDiagnosis *self;

  g_return_val_if_fail (MD_IS_ACCOUNT (account), NULL);

  self = g_object_new (MD_TYPE_DIAGNOSIS, NULL);
  self->account = g_object_ref (account);

  return self;
}

MdAccount *
md_diagnosis_get_account (MdDiagnosis *self)
{
  g_return_val_if_fail (MD_IS_DIAGNOSIS (self), NULL);

  return self->account;
}

MdTranscript *
md_diagnosis_get_transcript (MdDiagnosis *self)
{
  g_return_val_if_fail (MD_IS_DIAGNOSIS (self), NULL);

  return self->transcript;
}

/**
 * md_diagnosis_get_checks:
 *
 * Returns: (transfer none): the finished checks, of #MdCheck. During a run
 *   in the order they finished; afterwards in the design's order.
 */
GListModel *
md_diagnosis_get_checks (MdDiagnosis *self)
{
  g_return_val_if_fail (MD_IS_DIAGNOSIS (self), NULL);

  return G_LIST_MODEL (self->checks);
}

static gboolean
find_position (MdDiagnosis *self,
               MdCheckId    id,
               guint       *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->checks));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      if (md_check_get_id (check) == id)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * md_diagnosis_find_check:
 *
 * Returns: (transfer none) (nullable): the finished check with @id
 */
MdCheck *
md_diagnosis_find_check (MdDiagnosis *self,
                         MdCheckId    id)
{
  guint position;
  g_autoptr(MdCheck) check = NULL;

  g_return_val_if_fail (MD_IS_DIAGNOSIS (self), NULL);

  if (!find_position (self, id, &position))
    return NULL;

  /* The store keeps its own reference. */
  check = g_list_model_get_item (G_LIST_MODEL (self->checks), position);
  return check;
}

guint
md_diagnosis_get_timeout_ms (MdDiagnosis *self)
{
  g_return_val_if_fail (MD_IS_DIAGNOSIS (self), 0);

  return self->timeout_ms;
}

void
md_diagnosis_set_timeout_ms (MdDiagnosis *self,
                             guint        timeout_ms)
{
  g_return_if_fail (MD_IS_DIAGNOSIS (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

void
md_diagnosis_skip_check (MdDiagnosis *self,
                         MdCheckId    id)
{
  g_return_if_fail (MD_IS_DIAGNOSIS (self));

  self->skipped |= 1u << id;
}

gboolean
md_diagnosis_is_skipped (MdDiagnosis *self,
                         MdCheckId    id)
{
  g_return_val_if_fail (MD_IS_DIAGNOSIS (self), FALSE);

  return (self->skipped & (1u << id)) != 0;
}

/**
 * md_diagnosis_reports_check:
 *
 * Whether a whole run reports @id, as a result or as skipped: what a
 * progress display counts before the results come. Every probe reports
 * each check it owns, so only the skipped ones and those no probe runs
 * yet (the MX lookup, sending a test message) are left out.
 *
 * Returns: %TRUE if a run of @self reports @id
 */
gboolean
md_diagnosis_reports_check (MdDiagnosis *self,
                            MdCheckId    id)
{
  g_return_val_if_fail (MD_IS_DIAGNOSIS (self), FALSE);

  return id != MD_CHECK_DNS_MX && id != MD_CHECK_SMTP_SEND && !md_diagnosis_is_skipped (self, id);
}

/**
 * md_diagnosis_has_failures:
 *
 * Returns: whether any finished check failed
 */
gboolean
md_diagnosis_has_failures (MdDiagnosis *self)
{
  guint n;

  g_return_val_if_fail (MD_IS_DIAGNOSIS (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->checks));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      if (md_check_get_status (check) == MD_CHECK_STATUS_FAIL)
        return TRUE;
    }

  return FALSE;
}

/* Probe plumbing */

gboolean
_md_diagnosis_wants (MdDiagnosis *self,
                     MdCheckId    id)
{
  if (self->only != 0 && (self->only & (1u << id)) == 0)
    return FALSE;

  return !md_diagnosis_is_skipped (self, id);
}

/**
 * _md_diagnosis_emit:
 *
 * Records a finished check, replacing an earlier result of the same id,
 * and tells listeners.
 */
void
_md_diagnosis_emit (MdDiagnosis *self,
                    MdCheck     *check)
{
  guint position;

  g_assert (MD_IS_DIAGNOSIS (self));
  g_assert (MD_IS_CHECK (check));

  if (!_md_diagnosis_wants (self, md_check_get_id (check)))
    return;

  if (find_position (self, md_check_get_id (check), &position))
    g_list_store_splice (self->checks, position, 1, (gpointer *)&check, 1);
  else
    g_list_store_append (self->checks, check);

  g_signal_emit (self, signals[CHECK_FINISHED], 0, check);
}

GCancellable *
_md_diagnosis_get_cancellable (MdDiagnosis *self)
{
  g_assert (MD_IS_DIAGNOSIS (self));
  g_assert (self->deadline != NULL);

  return md_deadline_get_cancellable (self->deadline);
}

static guint
follower_reserve_ms (MdDiagnosis *self)
{
  if (!_md_diagnosis_wants (self, MD_CHECK_NET_PORTS) &&
      !_md_diagnosis_wants (self, MD_CHECK_TLS_VERSIONS))
    return 0;

  return MIN (self->timeout_ms / 4, 5000);
}

/**
 * _md_diagnosis_step_timeout:
 *
 * Returns: @wanted_ms, or less when the run's deadline comes sooner
 */
guint
_md_diagnosis_step_timeout (MdDiagnosis *self,
                            guint        wanted_ms)
{
  gint64 elapsed_ms = (g_get_monotonic_time () - self->started_us) / 1000;
  gint64 left_ms = (gint64)self->timeout_ms - elapsed_ms;

  /* While the session runs, part of the run's time is kept for the probes
   * that follow it, so a server that never answers cannot starve them. */
  if (!self->followers_started)
    left_ms -= follower_reserve_ms (self);

  return (guint)CLAMP (left_ms, 1, (gint64)wanted_ms);
}

/**
 * _md_diagnosis_fix_error:
 *
 * A step cancelled because the whole run ran out of time timed out, as far
 * as the user is concerned.
 */
void
_md_diagnosis_fix_error (MdDiagnosis  *self,
                         GError      **error)
{
  if (self->deadline != NULL)
    md_deadline_fix_error (self->deadline, error);
}

void
_md_diagnosis_resolved (MdDiagnosis *self,
                        GList       *addresses)
{
  g_list_free_full (self->addresses, g_object_unref);
  self->addresses = g_list_copy_deep (addresses, (GCopyFunc)(void (*)(void))g_object_ref, NULL);
}

/**
 * _md_diagnosis_get_server_addresses:
 *
 * Returns: (transfer none) (element-type GInetAddress): the server's
 *   addresses, once the session has resolved them
 */
GList *
_md_diagnosis_get_server_addresses (MdDiagnosis *self)
{
  return self->addresses;
}

GInetAddress *
_md_diagnosis_get_local_address (MdDiagnosis *self)
{
  return self->local_address;
}

void
_md_diagnosis_set_local_address (MdDiagnosis  *self,
                                 GInetAddress *address)
{
  g_set_object (&self->local_address, address);
}

const char *
_md_diagnosis_get_greeting_text (MdDiagnosis *self)
{
  return self->greeting_text;
}

void
_md_diagnosis_set_greeting_text (MdDiagnosis *self,
                                 const char  *text)
{
  md_set_str (&self->greeting_text, text);
}

const char *
_md_diagnosis_get_ehlo_text (MdDiagnosis *self)
{
  return self->ehlo_text;
}

void
_md_diagnosis_set_ehlo_text (MdDiagnosis *self,
                             const char  *text)
{
  md_set_str (&self->ehlo_text, text);
}

/* The knowledge base is compiled in; failing to read it is a bug, which
 * the run reports rather than hides. Read once per diagnosis, whole or not
 * at all. */
static gboolean
load_kb (MdDiagnosis  *self,
         GError      **error)
{
  if (self->fix_catalogue != NULL)
    return TRUE;

  g_clear_object (&self->kb);
  g_clear_pointer (&self->replies, md_interpret_catalogue_free);
  if ((self->kb = md_kb_new (error)) != NULL &&
      (self->replies = md_interpret_catalogue_new (error)) != NULL &&
      (self->fix_catalogue = md_fix_load_catalogue (error)) != NULL)
    return TRUE;

  g_clear_object (&self->kb);
  g_clear_pointer (&self->replies, md_interpret_catalogue_free);
  return FALSE;
}

/* Reading the knowledge base takes a few milliseconds of CPU: once
 * connected, the session waits for the server's greeting, and the main loop
 * reads it then, with nothing else to do. A run that ends without
 * connecting reads it in finish_run(). A probe, so that the run ends after
 * it. */
static gboolean
load_kb_idle (gpointer data)
{
  MdDiagnosis *self = data;

  self->kb_pending = FALSE;
  /* A failure is reported by finish_run(), which tries again. */
  load_kb (self, NULL);
  _md_diagnosis_probe_done (self);
  return G_SOURCE_REMOVE;
}

static void
load_kb_when_idle (MdDiagnosis *self)
{
  if (self->fix_catalogue != NULL || self->kb_pending)
    return;

  self->kb_pending = TRUE;
  _md_diagnosis_probe_started (self);
  g_idle_add_full (G_PRIORITY_LOW, load_kb_idle, g_object_ref (self), g_object_unref);
}

/* Probes that need the knowledge base before the idle read it get it now. */
MdKb *
_md_diagnosis_get_kb (MdDiagnosis *self)
{
  load_kb (self, NULL);
  return self->kb;
}

const MdInterpretCatalogue *
_md_diagnosis_get_replies (MdDiagnosis *self)
{
  load_kb (self, NULL);
  return self->replies;
}

void
_md_diagnosis_connected (MdDiagnosis  *self,
                         GInetAddress *address,
                         gboolean      implicit_tls,
                         gboolean      starttls_offered)
{
  g_set_object (&self->connected_address, address);
  self->implicit_tls = implicit_tls;
  self->starttls_offered = starttls_offered;
  /* Not earlier: connecting takes turns of the main loop too. */
  load_kb_when_idle (self);
}

void
_md_diagnosis_probe_started (MdDiagnosis *self)
{
  self->n_active++;
}

static int
compare_checks (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  return (int)md_check_get_id ((MdCheck *)a) - (int)md_check_get_id ((MdCheck *)b);
}

static void
replace_all (GListStore *store,
             GListModel *items)
{
  g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (items);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (array, g_list_model_get_item (items, i));

  /* One change, so that a list in the GUI redraws once. */
  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                       array->pdata, array->len);
}

/* What the checks mean: the findings, and the plan that follows from them. */
static void
conclude (MdDiagnosis *self)
{
  g_autoptr(GListModel) findings = md_findings_derive (self->account,
                                                       G_LIST_MODEL (self->checks),
                                                       self->replies, self->kb);
  g_autoptr(GListModel) fixes = md_fix_plan_new (self->fix_catalogue, findings);

  replace_all (self->findings, findings);
  replace_all (self->fixes, fixes);
}

static void
return_recheck (MdDiagnosis *self,
                GTask       *task)
{
  MdCheck *check = md_diagnosis_find_check (self, self->recheck_id);

  if (check != NULL)
    g_task_return_pointer (task, g_object_ref (check), g_object_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("This check could not run. Check your settings first."));
}

static void
finish_run (MdDiagnosis *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  gboolean recheck = self->only != 0;
  GError *error = NULL;

  self->only = 0;
  g_list_store_sort (self->checks, compare_checks, NULL);
  g_clear_pointer (&self->deadline, md_deadline_free);

  if (!load_kb (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  conclude (self);

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The check was stopped"));
  else if (recheck)
    return_recheck (self, task);
  else
    g_task_return_boolean (task, TRUE);
}

static const MdCheckId error_text_checks[] = { MD_CHECK_ERROR_TEXT };

static const MdCheckId reputation_checks[] = {
  MD_CHECK_REP_CLIENT_IP, MD_CHECK_REP_RDNS, MD_CHECK_REP_DNSBL,
  MD_CHECK_REP_DNSBL_SERVER, MD_CHECK_REP_DNSBL_DOMAIN,
};

static const MdCheckId mail_auth_checks[] = {
  MD_CHECK_AUTH_SPF, MD_CHECK_AUTH_DKIM, MD_CHECK_AUTH_DMARC, MD_CHECK_AUTH_MTA_STS,
};

static gboolean
wants_any (MdDiagnosis     *self,
           const MdCheckId *ids,
           guint            n_ids)
{
  for (guint i = 0; i < n_ids; i++)
    if (_md_diagnosis_wants (self, ids[i]))
      return TRUE;

  return FALSE;
}

static void
emit_skip (MdDiagnosis *self,
           MdCheckId    id,
           const char  *summary)
{
  g_autoptr(MdCheck) check = md_check_new (id);

  md_check_finish (check, MD_CHECK_STATUS_SKIP, summary, NULL);
  _md_diagnosis_emit (self, check);
}

/* The blocklists and reverse DNS need only the addresses and what the
 * server called the client: once that is known they run beside the rest
 * of the session, not after it. */
static void
start_reputation (MdDiagnosis *self)
{
  if (self->reputation_started ||
      !wants_any (self, reputation_checks, G_N_ELEMENTS (reputation_checks)))
    return;

  self->reputation_started = TRUE;
  _md_probe_reputation_start (self);
}

/**
 * _md_diagnosis_client_known:
 *
 * Called by the session probe once the server answered EHLO: the server's
 * address and the client's as the server sees it are known, so the DNS
 * work that needs them starts now, while STARTTLS and AUTH go on.
 */
void
_md_diagnosis_client_known (MdDiagnosis *self)
{
  start_reputation (self);
}

static void
start_followers (MdDiagnosis *self)
{
  gboolean out_of_time = g_cancellable_is_cancelled (_md_diagnosis_get_cancellable (self));
  gboolean tls_possible = self->implicit_tls || self->starttls_offered;
  GCancellable *user = g_task_get_cancellable (self->task);
  const char *no_time = user != NULL && g_cancellable_is_cancelled (user)
                        ? _("Not tested: the check was stopped")
                        : _("Not tested: no time was left");

  self->followers_started = TRUE;

  if (_md_diagnosis_wants (self, MD_CHECK_NET_PORTS))
    {
      if (out_of_time)
        emit_skip (self, MD_CHECK_NET_PORTS, no_time);
      else if (self->addresses == NULL)
        emit_skip (self, MD_CHECK_NET_PORTS,
                   _("Not tested, because the server's address is not known"));
      else
        _md_probe_ports_start (self, self->addresses->data);
    }

  start_reputation (self);

  if (!_md_diagnosis_wants (self, MD_CHECK_TLS_VERSIONS))
    return;

  if (out_of_time)
    emit_skip (self, MD_CHECK_TLS_VERSIONS, no_time);
  else if (self->connected_address == NULL)
    emit_skip (self, MD_CHECK_TLS_VERSIONS,
               _("Not tested, because the server could not be reached"));
  else if (!tls_possible)
    emit_skip (self, MD_CHECK_TLS_VERSIONS,
               _("Not tested, because the server does not offer encryption"));
  else
    _md_probe_tls_versions_start (self, self->connected_address, self->implicit_tls);
}

/**
 * _md_diagnosis_server_described:
 *
 * Called by the session probe once the server has answered its first
 * EHLO (or HELO): its address and whether it offers encryption are known,
 * and the session's own connection stands, so the probes that open more
 * connections start now, beside STARTTLS and AUTH rather than after them.
 * A server that limits connections refuses theirs at their greeting, not
 * the session's that it already greeted.
 */
void
_md_diagnosis_server_described (MdDiagnosis *self)
{
  if (!self->followers_started)
    start_followers (self);
}

/**
 * _md_diagnosis_session_finished:
 *
 * Called by the session probe once its conversation is over: the probes
 * that open more connections start now if the server never answered EHLO.
 */
void
_md_diagnosis_session_finished (MdDiagnosis *self)
{
  if (!self->followers_started)
    start_followers (self);
}

/**
 * _md_diagnosis_probe_done:
 *
 * Called once by each probe when it has emitted all its checks.
 */
void
_md_diagnosis_probe_done (MdDiagnosis *self)
{
  g_assert (self->n_active > 0);

  if (--self->n_active == 0)
    finish_run (self);
}

static gboolean
validate_input (MdDiagnosis *self)
{
  g_autoptr(MdCheck) check = md_check_new (MD_CHECK_INPUT);
  g_autoptr(GError) error = NULL;
  gboolean valid = md_account_validate (self->account, &error);

  if (valid)
    {
      const char *host = md_account_get_host (self->account);
      g_autofree char *ascii = host != NULL ? md_account_dup_host_ascii (self->account) : NULL;
      g_autofree char *summary = NULL;

      /* An international name travels as its ASCII form: both are shown,
       * so that what the user typed and what a helpdesk sees in the logs
       * can be matched. */
      if (ascii != NULL && g_strcmp0 (ascii, host) != 0 && g_hostname_is_non_ascii (host))
        {
          /* Translators: the server name as typed, then as it travels. */
          summary = g_strdup_printf (_("Your settings are complete; the server name %s is "
                                       "written %s on the internet"), host, ascii);
          md_check_set_evidence (check, "host_ascii", ascii);
        }
      md_check_finish (check, MD_CHECK_STATUS_PASS,
                       summary != NULL ? summary : _("Your settings are complete"), NULL);
    }
  else
    md_check_finish (check, MD_CHECK_STATUS_FAIL, error->message, NULL);

  _md_diagnosis_emit (self, check);
  return valid;
}

static const MdCheckId session_checks[] = {
  MD_CHECK_DNS_HOST, MD_CHECK_NET_CONNECT, MD_CHECK_SMTP_GREETING, MD_CHECK_SMTP_EHLO,
  MD_CHECK_TLS_HANDSHAKE, MD_CHECK_TLS_CERTIFICATE, MD_CHECK_SMTP_AUTH, MD_CHECK_SMTP_SIZE,
  MD_CHECK_SMTP_SEND,
};

static void
start (MdDiagnosis *self,
       GTask       *task)
{
  forget_session (self);
  self->started_us = g_get_monotonic_time ();
  self->deadline = md_deadline_new (g_task_get_cancellable (task), self->timeout_ms);
  self->task = task;
  g_list_store_remove_all (self->findings);
  g_list_store_remove_all (self->fixes);

  if (!validate_input (self))
    {
      finish_run (self);
      return;
    }

  if (_md_diagnosis_wants (self, MD_CHECK_ERROR_TEXT))
    _md_probe_error_text_run (self);

  /* The run counts as active until every probe has started, so that none
   * can end it early. */
  _md_diagnosis_probe_started (self);
  /* The session also feeds the probes that follow it, so only a re-check
   * that needs none of it goes without. */
  if (self->only == 0 || wants_any (self, session_checks, G_N_ELEMENTS (session_checks)))
    _md_probe_session_start (self);
  if (wants_any (self, mail_auth_checks, G_N_ELEMENTS (mail_auth_checks)))
    _md_probe_mail_auth_start (self);
  _md_diagnosis_probe_done (self);
}

static GTask *
new_task (MdDiagnosis         *self,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* finish_run() says "stopped" in its own words. */
  g_task_set_check_cancellable (task, FALSE);

  return task;
}

/**
 * md_diagnosis_run_async:
 *
 * Runs every check that is not skipped. The run ends within the timeout
 * whatever the server does; @cancellable stops it at once.
 */
void
md_diagnosis_run_async (MdDiagnosis         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (MD_IS_DIAGNOSIS (self));
  g_return_if_fail (self->task == NULL);

  g_list_store_remove_all (self->checks);
  start (self, new_task (self, cancellable, callback, user_data, md_diagnosis_run_async));
}

gboolean
md_diagnosis_run_finish (MdDiagnosis   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static guint32
mask_of (const MdCheckId *ids,
         guint            n_ids)
{
  guint32 mask = 0;

  for (guint i = 0; i < n_ids; i++)
    mask |= 1u << ids[i];

  return mask;
}

#define MASK_OF(ids) mask_of ((ids), G_N_ELEMENTS (ids))

/* The checks that run together with @id: the probe that produces it, and
 * the session when that probe needs what the session learns (the server's
 * and this computer's addresses, the greeting). */
static guint32
recheck_mask (MdCheckId id)
{
  guint32 bit = 1u << id;
  guint32 session = MASK_OF (session_checks);

  if (bit & MASK_OF (mail_auth_checks))
    return MASK_OF (mail_auth_checks);
  if (bit & MASK_OF (error_text_checks))
    return bit;
  if (bit & MASK_OF (reputation_checks))
    return session | MASK_OF (reputation_checks);

  return session | bit;
}

/**
 * md_diagnosis_recheck_async:
 *
 * Runs @id again, with the checks it depends on, under the same timeout as
 * a whole run; the other results stay. This is *Check again* after a fix,
 * and each attempt of watch mode.
 */
void
md_diagnosis_recheck_async (MdDiagnosis         *self,
                            MdCheckId            id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (MD_IS_DIAGNOSIS (self));
  g_return_if_fail (self->task == NULL);

  self->only = recheck_mask (id);
  self->recheck_id = id;
  start (self, new_task (self, cancellable, callback, user_data, md_diagnosis_recheck_async));
}

/**
 * md_diagnosis_recheck_finish:
 *
 * Returns: (transfer full): the new result of the check
 */
MdCheck *
md_diagnosis_recheck_finish (MdDiagnosis   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * md_diagnosis_get_findings:
 *
 * Returns: (transfer none): the findings (MdFinding), most important first
 */
GListModel *
md_diagnosis_get_findings (MdDiagnosis *self)
{
  g_return_val_if_fail (MD_IS_DIAGNOSIS (self), NULL);

  return G_LIST_MODEL (self->findings);
}

/**
 * md_diagnosis_get_fixes:
 *
 * Returns: (transfer none): the fix plan (MdFix), in the order to try
 */
GListModel *
md_diagnosis_get_fixes (MdDiagnosis *self)
{
  g_return_val_if_fail (MD_IS_DIAGNOSIS (self), NULL);

  return G_LIST_MODEL (self->fixes);
}
