/* md-probe-session.c: the conversation a mail program has with its server
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Resolve, connect, (implicit TLS), greeting, EHLO, (STARTTLS, EHLO),
 * AUTH, QUIT: each step finishes its check, and the first step the server
 * refuses ends the session, leaving the later checks skipped with the
 * reason. Nothing secret is sent unless the channel is encrypted with a
 * trusted certificate, or the user allowed plaintext explicitly.
 * Certificate verification is in md-probe-session-tls.c.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-compat.h"
#include "md-deadline.h"
#include "md-error.h"
#include "md-probe-session-private.h"

static const MdCheckId session_checks[] = {
  MD_CHECK_DNS_HOST,
  MD_CHECK_NET_CONNECT,
  MD_CHECK_SMTP_GREETING,
  MD_CHECK_SMTP_EHLO,
  MD_CHECK_TLS_HANDSHAKE,
  MD_CHECK_TLS_CERTIFICATE,
  MD_CHECK_SMTP_SIZE,
  MD_CHECK_SMTP_AUTH,
};

static void
session_free (MdSession *s)
{
  md_smtp_client_close (s->client);
  g_clear_object (&s->diagnosis);
  g_clear_object (&s->account);
  g_clear_object (&s->client);
  g_clear_pointer (&s->deadline, md_deadline_free);
  g_clear_pointer (&s->host, g_free);
  g_list_free_full (s->addresses, g_object_unref);
  if (s->attempts != NULL)
    g_string_free (s->attempts, TRUE);
  g_clear_object (&s->connected);
  g_clear_object (&s->check);
  g_clear_object (&s->certificate);
  g_clear_pointer (&s->skip_summary, g_free);
  g_clear_pointer (&s->caps, md_smtp_caps_free);
  g_free (s);
}

static gboolean
session_wants (MdSession *s,
               MdCheckId  id)
{
  return _md_diagnosis_wants (s->diagnosis, id);
}

/* Starts the check of the next step; its duration runs from here. */
static MdCheck *
begin_check (MdSession *s,
             MdCheckId  id)
{
  g_clear_object (&s->check);
  s->check = md_check_new (id);
  s->check_started_us = g_get_monotonic_time ();

  return s->check;
}

static void
emit (MdSession *s,
      MdCheck   *check)
{
  if (check == s->check)
    md_check_set_duration_ms (check, (g_get_monotonic_time () - s->check_started_us) / 1000);

  s->emitted |= 1u << md_check_get_id (check);
  _md_diagnosis_emit (s->diagnosis, check);
}

/* Ends the current step's check with @status and emits it. */
static void
end_check (MdSession     *s,
           MdCheckStatus  status,
           const char    *summary)
{
  md_check_set_summary (s->check, summary);
  md_check_set_status (s->check, status);
  emit (s, s->check);
}

static void
emit_simple (MdSession     *s,
             MdCheckId      id,
             MdCheckStatus  status,
             const char    *summary,
             const char    *reason)
{
  g_autoptr(MdCheck) check = md_check_new (id);

  md_check_finish (check, status, summary, NULL);
  md_check_set_evidence (check, "reason", reason);
  emit (s, check);
}

void
_md_session_finish (MdSession  *s,
                    const char *skip_summary)
{
  MdDiagnosis *diagnosis = s->diagnosis;

  if (s->verifying)
    {
      char *copy = g_strdup (skip_summary);

      g_free (s->skip_summary);
      s->skip_summary = copy;
      s->finish_waiting = TRUE;
      return;
    }

  if (skip_summary == NULL)
    skip_summary = _("Not tested");

  for (guint i = 0; i < G_N_ELEMENTS (session_checks); i++)
    {
      MdCheckId id = session_checks[i];

      if ((s->emitted & (1u << id)) == 0)
        emit_simple (s, id, MD_CHECK_STATUS_SKIP, skip_summary, NULL);
    }

  g_object_ref (diagnosis);
  session_free (s);
  _md_diagnosis_session_finished (diagnosis);
  _md_diagnosis_probe_done (diagnosis);
  g_object_unref (diagnosis);
}

static void
quit_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  MdSession *s = user_data;
  g_autofree char *skip = g_steal_pointer (&s->skip_summary);

  /* Written or not, the conversation is over. */
  md_smtp_client_send_finish (MD_SMTP_CLIENT (object), result, NULL);
  _md_session_finish (s, skip);
}

/* Says goodbye (RFC 5321 §4.1.1.10) and ends the session; checks not yet
 * done are skipped with @skip_summary. */
static void
quit (MdSession  *s,
      const char *skip_summary)
{
  GCancellable *cancellable = _md_diagnosis_get_cancellable (s->diagnosis);

  if (g_cancellable_is_cancelled (cancellable))
    {
      _md_session_finish (s, skip_summary);
      return;
    }

  g_free (s->skip_summary);
  s->skip_summary = g_strdup (skip_summary);
  /* QUIT's 221 tells nothing the checks need, and waiting for it costs a
   * round trip; the transcript says why none follows. */
  md_smtp_client_send_async (s->client, MD_SMTP_STAGE_QUIT, "QUIT",
                             _("QUIT (Mail Doctor does not wait for the reply)"),
                             cancellable, quit_cb, s);
}

static void
set_client_timeout (MdSession *s)
{
  md_smtp_client_set_step_timeout (s->client,
                                   _md_diagnosis_step_timeout (s->diagnosis, MD_STEP_TIMEOUT_MS));
}

/* Ends the current check with a failure to talk to the server. */
static void
fail_io (MdSession *s,
         GError    *error)
{
  g_autofree char *summary = NULL;

  _md_diagnosis_fix_error (s->diagnosis, &error);
  _md_check_set_io_error (s->check, error);
  summary = _md_describe_error (error);
  /* Stopped by the user is not a finding about the server. */
  end_check (s, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                ? MD_CHECK_STATUS_SKIP : MD_CHECK_STATUS_FAIL,
             summary);
  g_error_free (error);
}

/* Ends the current check with the server's unwelcome reply. */
static void
fail_reply (MdSession         *s,
            const MdSmtpReply *reply,
            MdSmtpStage        stage)
{
  g_autofree char *summary = _md_describe_reply (reply, stage);

  _md_check_set_reply (s->check, reply, stage);
  end_check (s, MD_CHECK_STATUS_FAIL, summary);
}

/* Takes a finished reply: anything but @expected (or no reply at all)
 * ends the current check and the session, and returns FALSE. */
static gboolean
reply_ok (MdSession         *s,
          const MdSmtpReply *reply,
          GError            *error,
          guint              expected,
          MdSmtpStage        stage,
          const char        *skip_summary)
{
  if (reply == NULL)
    fail_io (s, error);
  else if (reply->code != expected)
    fail_reply (s, reply, stage);
  else
    return TRUE;

  quit (s, skip_summary);
  return FALSE;
}

static void step_ehlo (MdSession *s, gboolean after_tls);
static void step_greeting (MdSession *s);
static void step_tls (MdSession *s, gboolean implicit);

/* AUTH */

static gboolean
pick_mechanism (MdSession            *s,
                MdSmtpAuthMechanism  *mechanism,
                const char          **name)
{
  /* Over an encrypted channel PLAIN is as good as any and the most widely
   * supported; without encryption CRAM-MD5 at least hides the password. */
  if (s->encrypted && md_smtp_caps_has_auth (s->caps, "PLAIN"))
    *mechanism = MD_SMTP_AUTH_PLAIN, *name = "PLAIN";
  else if (md_smtp_caps_has_auth (s->caps, "CRAM-MD5"))
    *mechanism = MD_SMTP_AUTH_CRAM_MD5, *name = "CRAM-MD5";
  else if (md_smtp_caps_has_auth (s->caps, "PLAIN"))
    *mechanism = MD_SMTP_AUTH_PLAIN, *name = "PLAIN";
  else if (md_smtp_caps_has_auth (s->caps, "LOGIN"))
    *mechanism = MD_SMTP_AUTH_LOGIN, *name = "LOGIN";
  else
    return FALSE;

  return TRUE;
}

static gboolean
only_oauth (MdSession *s)
{
  return s->caps->auth != NULL && s->caps->auth[0] != NULL &&
         (md_smtp_caps_has_auth (s->caps, "XOAUTH2") ||
          md_smtp_caps_has_auth (s->caps, "OAUTHBEARER"));
}

static void
auth_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  MdSession *s = user_data;
  g_autoptr(MdSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = md_smtp_client_auth_finish (MD_SMTP_CLIENT (object), result, &error);
  md_account_clear_password (s->account);

  if (reply == NULL)
    {
      fail_io (s, error);
      quit (s, _("Not tested"));
      return;
    }

  _md_check_set_reply (s->check, reply, MD_SMTP_STAGE_AUTH);

  if (reply->code == 235)
    {
      end_check (s, MD_CHECK_STATUS_PASS, _("Your username and password work."));
      quit (s, NULL);
      return;
    }

  if (reply->code == 535 || reply->code == 534)
    {
      md_check_set_detail (s->check, md_check_get_evidence (s->check, "text"));
      end_check (s, MD_CHECK_STATUS_FAIL,
                 _("The server did not accept your username or password. Some providers "
                   "need an app password instead of your usual one."));
    }
  else if (reply->code == 334)
    {
      /* The client gives up on a server that keeps asking (a hostile or
       * broken one would loop forever) and hands back its last 334: say
       * that, not "an unexpected answer" with a base64 blob as its text. */
      md_check_set_evidence (s->check, "reason", "endless-challenge");
      end_check (s, MD_CHECK_STATUS_FAIL,
                 _("The server kept asking for more sign-in steps and never said whether "
                   "your username and password work, so Mail Doctor stopped asking."));
    }
  else
    {
      fail_reply (s, reply, MD_SMTP_STAGE_AUTH);
    }

  quit (s, NULL);
}

static gboolean
auth_precondition (MdSession *s)
{
  const char *reason = NULL;
  const char *summary = NULL;

  if (!md_account_has_password (s->account))
    reason = "no-password",
    summary = _("Not tested, because no password was given.");
  else if (s->caps->auth == NULL || s->caps->auth[0] == NULL)
    reason = "no-auth-offered",
    summary = _("Not tested: the server does not offer to sign in here. Mail programs "
                "usually need a server that does.");
  else if (!s->encrypted && !md_account_get_allow_plaintext_auth (s->account))
    reason = "unencrypted",
    summary = _("Not tested, to keep your password safe: the connection is not encrypted.");
  else if (s->encrypted && s->verdict != MD_TLS_VERDICT_TRUSTED)
    reason = "untrusted-certificate",
    summary = _("Not tested, to keep your password safe: the server's certificate is "
                "not trusted.");
  else if (only_oauth (s) && !md_smtp_caps_has_auth (s->caps, "PLAIN") &&
           !md_smtp_caps_has_auth (s->caps, "LOGIN") &&
           !md_smtp_caps_has_auth (s->caps, "CRAM-MD5"))
    reason = "oauth-only",
    summary = _("This server only accepts signing in through your provider's own sign-in "
                "page (OAuth), not a password. Use a mail program that supports it.");

  if (reason == NULL)
    return TRUE;

  md_check_set_evidence (s->check, "reason", reason);
  end_check (s, MD_CHECK_STATUS_SKIP, summary);
  return FALSE;
}

void
_md_session_step_auth (MdSession *s)
{
  MdSmtpAuthMechanism mechanism;
  const char *name = NULL;

  if (!session_wants (s, MD_CHECK_SMTP_AUTH))
    {
      quit (s, NULL);
      return;
    }

  if (s->verifying)
    {
      s->auth_waiting = TRUE;
      return;
    }

  begin_check (s, MD_CHECK_SMTP_AUTH);
  if (!auth_precondition (s))
    {
      quit (s, NULL);
      return;
    }

  if (!pick_mechanism (s, &mechanism, &name))
    {
      md_check_set_evidence (s->check, "reason", "no-supported-mechanism");
      end_check (s, MD_CHECK_STATUS_SKIP,
                 _("Not tested: the server offers no sign-in method Mail Doctor knows."));
      quit (s, NULL);
      return;
    }

  md_check_set_evidence (s->check, "mechanism", name);
  /* Only with the user's consent (auth_precondition()): the report says so. */
  if (!s->encrypted)
    md_check_set_evidence (s->check, "sent_unencrypted", "by-your-choice");
  set_client_timeout (s);
  md_smtp_client_auth_async (s->client, mechanism, md_account_get_effective_username (s->account),
                             md_account_peek_password (s->account),
                             _md_diagnosis_get_cancellable (s->diagnosis), auth_cb, s);
}

/* SIZE (RFC 1870) */

static void
emit_size (MdSession *s)
{
  g_autoptr(MdCheck) check = md_check_new (MD_CHECK_SMTP_SIZE);

  if (s->caps->has_size && s->caps->size > 0)
    {
      g_autofree char *limit = g_strdup_printf ("%" G_GUINT64_FORMAT, s->caps->size);
      g_autofree char *human = g_format_size (s->caps->size);
      g_autofree char *summary =
        g_strdup_printf (_("The server accepts messages up to %s, attachments included."), human);

      md_check_set_evidence (check, "limit_bytes", limit);
      md_check_finish (check, MD_CHECK_STATUS_PASS, summary, NULL);
    }
  else
    {
      md_check_finish (check, MD_CHECK_STATUS_PASS,
                       _("The server announces no size limit for messages."), NULL);
    }

  emit (s, check);
}

/* TLS; the certificate check, which runs beside the conversation, is in
 * md-probe-session-tls.c. */

static const char *
tls_version_name (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_SSL_3_0: return "SSL 3.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_0: return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1: return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2: return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3: return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0: return "DTLS 1.0";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2: return "DTLS 1.2";
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    default:
      return "unknown";
    }
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  MdSession *s = user_data;
  GTlsConnection *tls;
  GTlsProtocolVersion version;
  g_autofree char *cipher = NULL;
  GError *error = NULL;

  if (!md_smtp_client_start_tls_finish (MD_SMTP_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, MD_ERROR, MD_ERROR_UNSAFE))
        md_check_set_evidence (s->check, "protocol_error", "starttls-injection");
      fail_io (s, error);
      quit (s, _("Not tested, because encryption could not be set up"));
      return;
    }

  s->encrypted = TRUE;
  tls = md_smtp_client_get_tls (s->client);
  version = g_tls_connection_get_protocol_version (tls);
  md_check_set_evidence (s->check, "protocol", tls_version_name (version));
  /* Transfer full: the name is a new string. */
  cipher = g_tls_connection_get_ciphersuite_name (tls);
  md_check_set_evidence (s->check, "cipher", cipher);

  /* GIO on Debian 12 negotiates TLS 1.0 without a word; we say it. */
  if (version == G_TLS_PROTOCOL_VERSION_TLS_1_0 || version == G_TLS_PROTOCOL_VERSION_TLS_1_1 ||
      version == G_TLS_PROTOCOL_VERSION_SSL_3_0)
    end_check (s, MD_CHECK_STATUS_WARN,
               _("The connection is encrypted, but with an outdated version of TLS that "
                 "many providers now refuse."));
  else
    end_check (s, MD_CHECK_STATUS_PASS, _("The connection is encrypted."));

  _md_session_start_verification (s);

  /* After implicit TLS the server greets; after STARTTLS we say hello again,
   * because what the server offered before encryption cannot be trusted. */
  if (s->caps == NULL)
    step_greeting (s);
  else
    step_ehlo (s, TRUE);
}

static void
step_tls (MdSession *s,
          gboolean   implicit)
{
  begin_check (s, MD_CHECK_TLS_HANDSHAKE);
  md_check_set_evidence (s->check, "mode", implicit ? "implicit" : "starttls");
  set_client_timeout (s);
  md_smtp_client_start_tls_async (s->client, s->host,
                                  _md_diagnosis_get_cancellable (s->diagnosis),
                                  handshake_cb, s);
}

static void
starttls_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  MdSession *s = user_data;
  g_autoptr(MdSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = md_smtp_client_command_finish (MD_SMTP_CLIENT (object), result, &error);
  if (!reply_ok (s, reply, error, 220, MD_SMTP_STAGE_STARTTLS,
                 _("Not tested, because encryption could not be set up")))
    return;

  /* The check started by step_starttls goes on through the handshake. */
  set_client_timeout (s);
  md_smtp_client_start_tls_async (s->client, s->host,
                                  _md_diagnosis_get_cancellable (s->diagnosis),
                                  handshake_cb, s);
}

static void
step_starttls (MdSession *s)
{
  begin_check (s, MD_CHECK_TLS_HANDSHAKE);
  md_check_set_evidence (s->check, "mode", "starttls");

  if (!s->caps->starttls)
    {
      md_check_set_evidence (s->check, "starttls", "not-offered");
      end_check (s, MD_CHECK_STATUS_FAIL,
                 _("The server does not offer encryption on this port, so your password and "
                   "mail would travel unprotected. Use port 587 with STARTTLS or 465 with "
                   "SSL/TLS."));
      emit_simple (s, MD_CHECK_TLS_CERTIFICATE, MD_CHECK_STATUS_SKIP,
                   _("Not tested, because the connection is not encrypted"), NULL);
      emit_size (s);
      _md_session_step_auth (s);
      return;
    }

  set_client_timeout (s);
  md_smtp_client_command_async (s->client, MD_SMTP_STAGE_STARTTLS, "STARTTLS", NULL,
                                _md_diagnosis_get_cancellable (s->diagnosis), starttls_cb, s);
}

/* EHLO */

/* The reputation probe reads the client's address from what the server
 * says ("Hello [203.0.113.5]"), and compares the greeting's name with the
 * server's reverse DNS. */
static void
remember_server_words (MdSession         *s,
                       const MdSmtpReply *reply,
                       gboolean           ehlo)
{
  g_autofree char *text = md_smtp_reply_dup_text (reply);
  GSocketConnection *connection = md_smtp_client_get_connection (s->client);
  g_autoptr(GSocketAddress) local = NULL;

  if (ehlo)
    _md_diagnosis_set_ehlo_text (s->diagnosis, text);
  else
    _md_diagnosis_set_greeting_text (s->diagnosis, text);

  if (connection != NULL)
    local = g_socket_connection_get_local_address (connection, NULL);
  if (G_IS_INET_SOCKET_ADDRESS (local))
    {
      GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (local);

      _md_diagnosis_set_local_address (s->diagnosis, g_inet_socket_address_get_address (inet));
    }

  if (ehlo)
    _md_diagnosis_client_known (s->diagnosis);
}

static char *
irregularity_words (MdSmtpReplyFlags flags)
{
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  if (flags & MD_SMTP_REPLY_BARE_LF)
    g_strv_builder_add (words, "bare-lf");
  if (flags & MD_SMTP_REPLY_CONTROL_CHARS)
    g_strv_builder_add (words, "control-chars");
  if (flags & MD_SMTP_REPLY_NOT_UTF8)
    g_strv_builder_add (words, "not-utf8");
  if (flags & MD_SMTP_REPLY_NO_SEPARATOR)
    g_strv_builder_add (words, "no-separator");

  list = g_strv_builder_end (words);
  return g_strjoinv (",", list);
}

static void
after_ehlo (MdSession *s,
            gboolean   after_tls)
{
  if (after_tls || s->security == MD_SECURITY_TLS || s->security == MD_SECURITY_NONE)
    {
      if (s->security == MD_SECURITY_NONE)
        {
          const char *why = _("Not tested: your settings ask for no encryption.");

          emit_simple (s, MD_CHECK_TLS_HANDSHAKE, MD_CHECK_STATUS_SKIP, why, "security-none");
          emit_simple (s, MD_CHECK_TLS_CERTIFICATE, MD_CHECK_STATUS_SKIP, why, "security-none");
        }
      emit_size (s);
      _md_session_step_auth (s);
      return;
    }

  step_starttls (s);
}

static void
record_caps (MdSession         *s,
             const MdSmtpReply *reply,
             const char        *fallback)
{
  g_autofree char *extensions = NULL;

  g_clear_pointer (&s->caps, md_smtp_caps_free);
  s->caps = md_smtp_caps_parse (reply);

  extensions = s->caps->keywords != NULL ? g_strjoinv (", ", s->caps->keywords) : g_strdup ("");
  md_check_set_evidence (s->check, "extensions", extensions);
  md_check_set_evidence (s->check, "fallback", fallback);

  if (!s->encrypted)
    _md_diagnosis_connected (s->diagnosis, s->connected, FALSE, s->caps->starttls);
}

static void
helo_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  MdSession *s = user_data;
  g_autoptr(MdSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = md_smtp_client_command_finish (MD_SMTP_CLIENT (object), result, &error);
  if (!reply_ok (s, reply, error, 250, MD_SMTP_STAGE_EHLO,
                 _("Not tested, because the conversation ended early")))
    return;

  record_caps (s, reply, "HELO");
  _md_diagnosis_server_described (s->diagnosis);
  end_check (s, MD_CHECK_STATUS_WARN,
             _("The server only speaks the oldest form of the mail protocol: no encryption and "
               "no sign-in. It is probably not meant for sending mail from a mail program."));
  after_ehlo (s, FALSE);
}

static void
ehlo_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  MdSession *s = user_data;
  g_autoptr(MdSmtpReply) reply = NULL;
  gboolean after_tls = s->encrypted && s->security != MD_SECURITY_TLS;
  GError *error = NULL;

  reply = md_smtp_client_command_finish (MD_SMTP_CLIENT (object), result, &error);

  /* 500/502: the server does not know EHLO; an old one may know HELO. */
  if (reply != NULL && (reply->code == 500 || reply->code == 502) && !s->encrypted)
    {
      g_autofree char *arg = md_smtp_client_dup_hello_name (s->client);
      g_autofree char *helo = g_strconcat ("HELO ", arg, NULL);

      set_client_timeout (s);
      md_smtp_client_command_async (s->client, MD_SMTP_STAGE_EHLO, helo, NULL,
                                    _md_diagnosis_get_cancellable (s->diagnosis), helo_cb, s);
      return;
    }

  if (!reply_ok (s, reply, error, 250, MD_SMTP_STAGE_EHLO,
                 _("Not tested, because the conversation ended early")))
    return;

  _md_check_set_reply (s->check, reply, MD_SMTP_STAGE_EHLO);
  remember_server_words (s, reply, TRUE);
  record_caps (s, reply, NULL);
  if (!after_tls)
    _md_diagnosis_server_described (s->diagnosis);
  if (reply->flags != MD_SMTP_REPLY_NORMAL)
    {
      g_autofree char *words = irregularity_words (reply->flags);

      md_check_set_evidence (s->check, "irregularities", words);
    }
  end_check (s, MD_CHECK_STATUS_PASS,
             after_tls
             ? _("The server answered our hello over the encrypted connection.")
             : _("The server answered our hello and listed what it supports."));
  after_ehlo (s, after_tls);
}

static void
step_ehlo (MdSession *s,
           gboolean   after_tls)
{
  g_autofree char *arg = md_smtp_client_dup_hello_name (s->client);
  g_autofree char *ehlo = g_strconcat ("EHLO ", arg, NULL);

  begin_check (s, MD_CHECK_SMTP_EHLO);
  set_client_timeout (s);
  md_smtp_client_command_async (s->client, MD_SMTP_STAGE_EHLO, ehlo, NULL,
                                _md_diagnosis_get_cancellable (s->diagnosis), ehlo_cb, s);
}

/* Greeting */

static void
greeting_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  MdSession *s = user_data;
  g_autoptr(MdSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = md_smtp_client_read_greeting_finish (MD_SMTP_CLIENT (object), result, &error);
  if (!reply_ok (s, reply, error, 220, MD_SMTP_STAGE_GREETING,
                 reply == NULL ? _("Not tested, because the server did not greet us")
                               : _("Not tested, because the server turned us away")))
    return;

  _md_check_set_reply (s->check, reply, MD_SMTP_STAGE_GREETING);
  remember_server_words (s, reply, FALSE);

  if (reply->flags != MD_SMTP_REPLY_NORMAL)
    {
      g_autofree char *words = irregularity_words (reply->flags);

      md_check_set_evidence (s->check, "irregularities", words);
      end_check (s, MD_CHECK_STATUS_WARN,
                 _("The server greeted us, but not quite by the rules of the mail protocol. "
                   "Some mail programs may stumble over it."));
    }
  else
    {
      end_check (s, MD_CHECK_STATUS_PASS, _("The mail server greeted us and is ready."));
    }

  step_ehlo (s, FALSE);
}

static void
step_greeting (MdSession *s)
{
  begin_check (s, MD_CHECK_SMTP_GREETING);
  set_client_timeout (s);
  md_smtp_client_read_greeting_async (s->client, _md_diagnosis_get_cancellable (s->diagnosis),
                                      greeting_cb, s);
}

/* Connect: every address of the host in turn, each attempt recorded. */

static void connect_next (MdSession *s);

static void
tls_prepared_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MdDiagnosis) diagnosis = user_data;

  md_tls_prepare_finish (result);
  _md_diagnosis_probe_done (diagnosis);
}

/* While the session waits for the server's first replies, the TLS it will
 * need is made ready: only once connected, so that a server that cannot be
 * reached costs no certificate loading. Counted as a probe, so the run
 * ends after it. */
static void
prepare_tls (MdSession *s)
{
  if (s->security == MD_SECURITY_NONE)
    return;

  _md_diagnosis_probe_started (s->diagnosis);
  md_tls_prepare_async (md_account_get_ca_file (s->account) == NULL,
                        tls_prepared_cb, g_object_ref (s->diagnosis));
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  MdSession *s = user_data;
  GInetAddress *address = s->next_address->data;
  g_autofree char *ip = g_inet_address_to_string (address);
  GError *error = NULL;

  s->next_address = s->next_address->next;

  if (!md_smtp_client_connect_finish (MD_SMTP_CLIENT (object), result, &error))
    {
      g_autofree char *why = NULL;

      _md_diagnosis_fix_error (s->diagnosis, &error);
      why = g_strdup_printf ("%s: %s; ", ip, error->message);
      g_string_append (s->attempts, why);

      if (s->next_address != NULL &&
          !g_cancellable_is_cancelled (_md_diagnosis_get_cancellable (s->diagnosis)))
        {
          g_error_free (error);
          connect_next (s);
          return;
        }

      md_check_set_evidence (s->check, "attempts", s->attempts->str);
      fail_io (s, error);
      _md_session_finish (s, _("Not tested, because the server could not be reached"));
      return;
    }

  s->connected = g_object_ref (address);
  md_check_set_evidence (s->check, "address", ip);
  md_check_set_evidence (s->check, "attempts", s->attempts->len > 0 ? s->attempts->str : NULL);
  end_check (s, MD_CHECK_STATUS_PASS, _("Mail Doctor reached the server."));

  prepare_tls (s);
  _md_diagnosis_connected (s->diagnosis, address, s->security == MD_SECURITY_TLS, FALSE);

  if (s->security == MD_SECURITY_TLS)
    step_tls (s, TRUE);
  else
    step_greeting (s);
}

static void
connect_next (MdSession *s)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (s->next_address->data, s->port);

  set_client_timeout (s);
  md_smtp_client_connect_async (s->client, address, _md_diagnosis_get_cancellable (s->diagnosis),
                                connect_cb, s);
}

static void
step_connect (MdSession *s)
{
  g_autofree char *port = g_strdup_printf ("%u", s->port);

  begin_check (s, MD_CHECK_NET_CONNECT);
  md_check_set_evidence (s->check, "port", port);
  s->attempts = g_string_new (NULL);
  s->next_address = s->addresses;
  connect_next (s);
}

/* DNS */

static void
emit_addresses (MdSession *s)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (GList *l = s->addresses; l != NULL; l = l->next)
    {
      g_autofree char *ip = g_inet_address_to_string (l->data);

      g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", ip);
    }

  md_check_set_evidence (s->check, "addresses", list->str);
  end_check (s, MD_CHECK_STATUS_PASS, _("The server's name was found."));
  _md_diagnosis_resolved (s->diagnosis, s->addresses);
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  MdSession *s = user_data;
  GError *error = NULL;

  s->addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  if (s->addresses == NULL)
    {
      md_deadline_fix_error (s->deadline, &error);
      fail_io (s, error);
      _md_session_finish (s, _("Not tested, because the server's name could not be found"));
      return;
    }

  g_clear_pointer (&s->deadline, md_deadline_free);
  emit_addresses (s);
  step_connect (s);
}

static void
step_resolve (MdSession *s)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  GInetAddress *literal = g_inet_address_new_from_string (s->host);

  begin_check (s, MD_CHECK_DNS_HOST);

  if (literal != NULL)
    {
      s->addresses = g_list_append (NULL, literal);
      emit_addresses (s);
      step_connect (s);
      return;
    }

  /* GResolver has no deadline of its own: a silent DNS server costs 10 s. */
  s->deadline = md_deadline_new (_md_diagnosis_get_cancellable (s->diagnosis),
                                 _md_diagnosis_step_timeout (s->diagnosis, MD_STEP_TIMEOUT_MS));
  g_resolver_lookup_by_name_async (resolver, s->host, md_deadline_get_cancellable (s->deadline),
                                   resolve_cb, s);
}

/**
 * _md_probe_session_start:
 *
 * Runs the session for the diagnosis' account; calls
 * _md_diagnosis_probe_done() when all its checks are emitted.
 */
void
_md_probe_session_start (MdDiagnosis *diagnosis)
{
  MdSession *s = g_new0 (MdSession, 1);
  MdAccount *account = md_diagnosis_get_account (diagnosis);

  _md_diagnosis_probe_started (diagnosis);

  s->diagnosis = g_object_ref (diagnosis);
  s->account = g_object_ref (account);
  s->client = md_smtp_client_new (md_diagnosis_get_transcript (diagnosis));
  s->host = md_account_dup_host_ascii (account);
  s->port = md_account_get_effective_port (account);
  s->security = md_account_get_effective_security (account);
  s->verdict = MD_TLS_VERDICT_INVALID;

  step_resolve (s);
}
