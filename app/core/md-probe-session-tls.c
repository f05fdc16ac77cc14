/* md-probe-session-tls.c: tls.certificate, the server's certificate chain
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of the session (md-probe-session.c). Once the handshake is done, the
 * chain the server sent is verified with GnuTLS in a worker thread while
 * the conversation goes on; AUTH, and the end of the session, wait for the
 * verdict, so that no password goes to a server that is not trusted.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-probe-session-private.h"

static GPtrArray *
peer_chain (GTlsConnection *tls)
{
  GPtrArray *chain = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);

  for (GTlsCertificate *cert = g_tls_connection_get_peer_certificate (tls);
       cert != NULL && chain->len < 16;
       cert = g_tls_certificate_get_issuer (cert))
    {
      g_autoptr(GByteArray) der = NULL;

      g_object_get (cert, "certificate", &der, NULL);
      if (der != NULL)
        g_ptr_array_add (chain, g_bytes_new (der->data, der->len));
    }

  return chain;
}

static char *
format_time (GDateTime *time)
{
  return time != NULL ? g_date_time_format_iso8601 (time) : NULL;
}

/* A certificate may carry thousands of names (a hostile server's, or a
 * shared host's): the report shows the first few and a count, so its size
 * does not grow with what the server chose to send. */
#define MAX_SHOWN_NAMES 20

static char *
format_names (const char * const *names)
{
  guint n = g_strv_length ((GStrv) names);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < n && i < MAX_SHOWN_NAMES; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", names[i]);

  if (n > MAX_SHOWN_NAMES)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ", and %u more name",
                                               ", and %u more names", n - MAX_SHOWN_NAMES),
                            n - MAX_SHOWN_NAMES);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
set_certificate_evidence (MdCheck         *check,
                          const MdTlsInfo *info)
{
  const MdTlsCertInfo *leaf;
  g_autofree char *not_before = NULL;
  g_autofree char *not_after = NULL;
  g_autofree char *names = NULL;
  g_autofree char *length = NULL;

  md_check_set_evidence (check, "verdict", md_tls_verdict_to_string (info->verdict));
  if (info->chain == NULL || info->chain->len == 0)
    return;

  leaf = g_ptr_array_index (info->chain, 0);
  not_before = format_time (leaf->not_before);
  not_after = format_time (leaf->not_after);
  names = leaf->names != NULL ? format_names ((const char * const *) leaf->names) : NULL;
  length = g_strdup_printf ("%u", info->chain->len);

  md_check_set_evidence (check, "subject", leaf->subject);
  md_check_set_evidence (check, "issuer", leaf->issuer);
  md_check_set_evidence (check, "not_before", not_before);
  md_check_set_evidence (check, "not_after", not_after);
  md_check_set_evidence (check, "names", names);
  md_check_set_evidence (check, "fingerprint_sha256", leaf->fingerprint_sha256);
  md_check_set_evidence (check, "chain_length", length);
  md_check_set_detail (check, info->verdict_detail);
}

static const char *
verdict_summary (MdTlsVerdict verdict)
{
  switch (verdict)
    {
    case MD_TLS_VERDICT_TRUSTED:
      return _("The server proved its identity with a valid certificate.");
    case MD_TLS_VERDICT_EXPIRED:
      return _("The server's certificate has expired. Mail programs refuse it; only the "
               "provider can renew it.");
    case MD_TLS_VERDICT_NOT_YET_VALID:
      return _("The server's certificate is not valid yet. Check that this computer's date "
               "and time are right.");
    case MD_TLS_VERDICT_SELF_SIGNED:
      return _("The server's certificate was made by the server itself, so nobody vouches "
               "for it. Mail programs warn about it or refuse it.");
    case MD_TLS_VERDICT_UNKNOWN_ISSUER:
      return _("The server's certificate comes from an authority this computer does not "
               "trust.");
    case MD_TLS_VERDICT_NAME_MISMATCH:
      return _("The server's certificate is for a different name. Check the server name in "
               "your settings: the provider's documentation gives the exact one.");
    case MD_TLS_VERDICT_REVOKED:
      return _("The server's certificate was withdrawn by its issuer.");
    case MD_TLS_VERDICT_INSECURE:
      return _("The server's certificate uses outdated, insecure cryptography.");
    case MD_TLS_VERDICT_INVALID:
    default:
      return _("The server's certificate is not valid.");
    }
}

/* Who vouched for the server: the user's own choice of a CA file shows in
 * the report, so that a helpdesk reading it knows the system alone would
 * not have trusted the server. */
static void
set_trust_evidence (MdSession       *s,
                    MdCheck         *check,
                    const MdTlsInfo *info)
{
  const char *ca_file = md_account_get_ca_file (s->account);
  g_autofree char *name = NULL;

  if (info->verdict != MD_TLS_VERDICT_TRUSTED)
    return;

  md_check_set_evidence (check, "trusted_by", info->by_ca_file ? "ca-file" : "system");
  /* The file's name, not where it lies in the user's home. */
  if (info->by_ca_file && ca_file != NULL)
    {
      name = g_path_get_basename (ca_file);
      md_check_set_evidence (check, "ca_file", name);
    }
}

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  MdSession *s = user_data;
  g_autoptr(MdTlsInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  MdCheck *check = s->certificate;

  s->verifying = FALSE;
  md_check_set_duration_ms (check, (g_get_monotonic_time () - s->certificate_started_us) / 1000);

  info = md_tls_verify_chain_finish (result, &error);
  if (info == NULL)
    {
      g_autofree char *summary = NULL;

      _md_diagnosis_fix_error (s->diagnosis, &error);
      _md_check_set_io_error (check, error);
      summary = _md_describe_error (error);
      s->verdict = MD_TLS_VERDICT_INVALID;
      md_check_set_summary (check, summary);
      md_check_set_status (check, MD_CHECK_STATUS_ERROR);
    }
  else
    {
      s->verdict = info->verdict;
      set_certificate_evidence (check, info);
      set_trust_evidence (s, check, info);
      md_check_set_summary (check, info->by_ca_file
                                   ? _("The server proved its identity with a certificate that "
                                       "the certificate file you gave vouches for. Your mail "
                                       "program trusts it only if it is given that file too.")
                                   : verdict_summary (info->verdict));
      md_check_set_status (check, info->verdict == MD_TLS_VERDICT_TRUSTED
                                  ? MD_CHECK_STATUS_PASS : MD_CHECK_STATUS_FAIL);
    }

  s->emitted |= 1u << MD_CHECK_TLS_CERTIFICATE;
  _md_diagnosis_emit (s->diagnosis, check);

  if (s->finish_waiting)
    {
      g_autofree char *skip = g_steal_pointer (&s->skip_summary);

      _md_session_finish (s, skip);
    }
  else if (s->auth_waiting)
    {
      s->auth_waiting = FALSE;
      _md_session_step_auth (s);
    }
}

/* Starts verifying the server's chain with GnuTLS in a worker thread; the
 * conversation goes on meanwhile. */
void
_md_session_start_verification (MdSession *s)
{
  g_autoptr(GPtrArray) chain = peer_chain (md_smtp_client_get_tls (s->client));

  s->certificate = md_check_new (MD_CHECK_TLS_CERTIFICATE);
  s->certificate_started_us = g_get_monotonic_time ();
  s->verifying = TRUE;
  md_tls_verify_chain_async (chain, s->host, md_account_get_ca_file (s->account),
                             _md_diagnosis_get_cancellable (s->diagnosis), verify_cb, s);
}
