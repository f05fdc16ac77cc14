/* md-probe-tls-versions.c: which TLS versions the server accepts (tls.versions)
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A mail program's own handshake shows one version: the best both sides
 * share. Microsoft rejects TLS below 1.2 with "421 4.7.66", and GIO on
 * Debian 12 negotiates TLS 1.0 without a word, so each version is tried on
 * its own connection, with GnuTLS forced to exactly that version. The four
 * handshakes run at once; each is short.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-diagnosis-private.h"
#include "md-smtp-client.h"

static const MdTlsVersion versions[] = {
  MD_TLS_VERSION_1_0,
  MD_TLS_VERSION_1_1,
  MD_TLS_VERSION_1_2,
  MD_TLS_VERSION_1_3,
};

typedef struct
{
  MdDiagnosis  *diagnosis;
  MdCheck      *check;
  char         *host;
  gint64        started_us;
  guint         n_active;
} Versions;

typedef struct
{
  Versions     *versions;
  MdSmtpClient *client;
  MdTlsVersion  version;
  gboolean      implicit;
} Attempt;

static gboolean
accepted (Versions     *v,
          MdTlsVersion  version)
{
  const char *state = md_check_get_evidence (v->check, md_tls_version_to_string (version));

  return g_strcmp0 (state, "accepted") == 0;
}

static void
versions_finish (Versions *v)
{
  gboolean modern = accepted (v, MD_TLS_VERSION_1_2) || accepted (v, MD_TLS_VERSION_1_3);
  gboolean legacy = accepted (v, MD_TLS_VERSION_1_0) || accepted (v, MD_TLS_VERSION_1_1);
  gboolean any_answer = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    any_answer |= g_strcmp0 (md_check_get_evidence (v->check,
                                                    md_tls_version_to_string (versions[i])),
                             "error") != 0;

  if (!any_answer)
    md_check_finish (v->check, MD_CHECK_STATUS_ERROR,
                     _("Could not test which encryption versions the server accepts."), NULL);
  else if (!modern)
    md_check_finish (v->check, MD_CHECK_STATUS_FAIL,
                     _("The server only offers outdated encryption (older than TLS 1.2). Many "
                       "providers and mail programs refuse it, and Microsoft answers it with "
                       "421. Only the server's owner can fix this."), NULL);
  else if (legacy)
    md_check_finish (v->check, MD_CHECK_STATUS_WARN,
                     _("The server offers modern encryption, and still allows outdated "
                       "versions too. Your mail program can use the modern one."), NULL);
  else
    md_check_finish (v->check, MD_CHECK_STATUS_PASS,
                     _("The server uses modern encryption (TLS 1.2 or newer) only."), NULL);

  md_check_set_duration_ms (v->check, (g_get_monotonic_time () - v->started_us) / 1000);
  _md_diagnosis_emit (v->diagnosis, v->check);
  _md_diagnosis_probe_done (v->diagnosis);

  g_object_unref (v->diagnosis);
  g_object_unref (v->check);
  g_free (v->host);
  g_free (v);
}

static void
attempt_done (Attempt    *attempt,
              const char *state)
{
  Versions *v = attempt->versions;

  md_check_set_evidence (v->check, md_tls_version_to_string (attempt->version), state);
  md_smtp_client_close (attempt->client);
  g_object_unref (attempt->client);
  g_free (attempt);

  if (--v->n_active == 0)
    versions_finish (v);
}

static GCancellable *
attempt_cancellable (Attempt *attempt)
{
  return _md_diagnosis_get_cancellable (attempt->versions->diagnosis);
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(MdTlsInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = md_tls_handshake_finish (result, &error);
  if (info != NULL)
    attempt_done (attempt, "accepted");
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    attempt_done (attempt, "error");
  else
    attempt_done (attempt, "refused");
}

static void
handshake (Attempt *attempt)
{
  GSocketConnection *connection = md_smtp_client_get_connection (attempt->client);

  md_tls_handshake_async (g_socket_connection_get_socket (connection), attempt->version,
                          attempt->versions->host, attempt_cancellable (attempt),
                          handshake_cb, attempt);
}

/* The plaintext part for STARTTLS servers: greeting, EHLO, STARTTLS; any
 * reply but the expected one makes the attempt an "error", not a refusal. */
static void
starttls_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(MdSmtpReply) reply = NULL;

  reply = md_smtp_client_command_finish (MD_SMTP_CLIENT (object), result, NULL);
  if (reply == NULL || reply->code != 220)
    attempt_done (attempt, "error");
  else
    handshake (attempt);
}

static void
ehlo_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(MdSmtpReply) reply = NULL;

  reply = md_smtp_client_command_finish (MD_SMTP_CLIENT (object), result, NULL);
  if (reply == NULL || reply->code != 250)
    {
      attempt_done (attempt, "error");
      return;
    }

  md_smtp_client_command_async (attempt->client, MD_SMTP_STAGE_STARTTLS, "STARTTLS", NULL,
                                attempt_cancellable (attempt), starttls_cb, attempt);
}

static void
greeting_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autofree char *name = NULL;
  g_autofree char *ehlo = NULL;

  reply = md_smtp_client_read_greeting_finish (MD_SMTP_CLIENT (object), result, NULL);
  if (reply == NULL || reply->code != 220)
    {
      attempt_done (attempt, "error");
      return;
    }

  name = md_smtp_client_dup_hello_name (attempt->client);
  ehlo = g_strconcat ("EHLO ", name, NULL);
  md_smtp_client_command_async (attempt->client, MD_SMTP_STAGE_EHLO, ehlo, NULL,
                                attempt_cancellable (attempt), ehlo_cb, attempt);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Attempt *attempt = user_data;

  if (!md_smtp_client_connect_finish (MD_SMTP_CLIENT (object), result, NULL))
    attempt_done (attempt, "error");
  else if (attempt->implicit)
    handshake (attempt);
  else
    md_smtp_client_read_greeting_async (attempt->client, attempt_cancellable (attempt),
                                        greeting_cb, attempt);
}

static void
attempt_start (Versions       *v,
               GSocketAddress *address,
               gboolean        implicit,
               MdTlsVersion    version)
{
  Attempt *attempt = g_new0 (Attempt, 1);

  attempt->versions = v;
  attempt->version = version;
  attempt->client = md_smtp_client_new (NULL);
  md_smtp_client_set_step_timeout (attempt->client,
                                   _md_diagnosis_step_timeout (v->diagnosis, MD_STEP_TIMEOUT_MS));
  attempt->implicit = implicit;
  v->n_active++;

  md_smtp_client_connect_async (attempt->client, address, attempt_cancellable (attempt),
                                connect_cb, attempt);
}

void
_md_probe_tls_versions_start (MdDiagnosis  *diagnosis,
                              GInetAddress *address,
                              gboolean      implicit_tls)
{
  MdAccount *account = md_diagnosis_get_account (diagnosis);
  Versions *v = g_new0 (Versions, 1);
  g_autoptr(GSocketAddress) socket_address =
    g_inet_socket_address_new (address, md_account_get_effective_port (account));

  _md_diagnosis_probe_started (diagnosis);

  v->diagnosis = g_object_ref (diagnosis);
  v->check = md_check_new (MD_CHECK_TLS_VERSIONS);
  v->host = md_account_dup_host_ascii (account);
  v->started_us = g_get_monotonic_time ();

  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    md_check_set_evidence (v->check, md_tls_version_to_string (versions[i]), "error");

  v->n_active = 1;
  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    attempt_start (v, socket_address, implicit_tls, versions[i]);

  if (--v->n_active == 0)
    versions_finish (v);
}
