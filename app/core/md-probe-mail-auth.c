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
 * that may be fine. The SPF check, which follows includes and redirects,
 * is in md-probe-spf.c.
 */

#include "md-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libpsl.h>

#include "md-diagnosis-private.h"
#include "md-mail-auth.h"
#include "md-probe-mail-auth-private.h"
#include "md-validate.h"

#define LOOKUP_TIMEOUT_MS 5000

/* The usual DKIM selectors (kb-421.json "common_selectors"). Selectors are
 * chosen by the sender and cannot be listed from outside, so a checker can
 * only try the common ones. */
static const char * const dkim_selectors[] = {
  "default", "selector1", "selector2", "google", "k1", "k2", "k3", "s1", "s2",
  "mail", "dkim", "smtp", "mx", "20230601", "20161025", "fm1", "fm2", "fm3",
  "zoho", "protonmail", "protonmail2", "protonmail3", "sig1", "mandrill",
  "everlytickey1", "pm",
};

/* Lookups, shared with md-probe-spf.c (md-probe-mail-auth-private.h) */

typedef struct
{
  MdAuthAnswerFunc func;
  gpointer         data;
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

void
_md_auth_lookup (MdAuthProbe      *ma,
                 const char       *name,
                 MdDnsType         type,
                 MdAuthAnswerFunc  func,
                 gpointer          data)
{
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->func = func;
  lookup->data = data;
  md_dns_lookup_async (NULL, name, type,
                       _md_diagnosis_step_timeout (ma->diagnosis, LOOKUP_TIMEOUT_MS),
                       _md_diagnosis_get_cancellable (ma->diagnosis), lookup_cb, lookup);
}

gboolean
_md_auth_could_not_ask (const MdDnsAnswer *answer)
{
  return answer == NULL ||
         answer->status == MD_DNS_STATUS_FAILED ||
         answer->status == MD_DNS_STATUS_TIMED_OUT;
}

/* The TXT records of @answer for which @is_record says yes. */
GPtrArray *
_md_auth_select_records (const MdDnsAnswer *answer,
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

void
_md_auth_release (MdAuthProbe *ma)
{
  if (--ma->n_active > 0)
    return;

  _md_diagnosis_probe_done (ma->diagnosis);
  g_object_unref (ma->diagnosis);
  g_free (ma->domain);
  g_free (ma);
}

void
_md_auth_finish_check (MdAuthProbe   *ma,
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

void
_md_auth_set_evidence_uint (MdCheck    *check,
                            const char *key,
                            guint       value)
{
  g_autofree char *text = g_strdup_printf ("%u", value);

  md_check_set_evidence (check, key, text);
}

char *
_md_auth_normalize_domain (const char *name)
{
  char *lower = g_ascii_strdown (name, -1);
  gsize len = strlen (lower);

  if (len > 0 && lower[len - 1] == '.')
    lower[len - 1] = '\0';
  return lower;
}

/* DMARC */

typedef struct
{
  MdAuthProbe *ma;
  MdCheck     *check;
  gint64       started_us;
  char        *asked;      /* the domain whose _dmarc was asked last */
} Dmarc;

static void
dmarc_finish (Dmarc         *dmarc,
              MdCheckStatus  status,
              const char    *summary,
              const char    *detail)
{
  MdAuthProbe *ma = dmarc->ma;

  _md_auth_finish_check (ma, dmarc->check, dmarc->started_us, status, summary, detail);
  g_object_unref (dmarc->check);
  g_free (dmarc->asked);
  g_free (dmarc);
  _md_auth_release (ma);
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
  _md_auth_set_evidence_uint (dmarc->check, "pct", record->pct);
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
  _md_auth_lookup (dmarc->ma, name, MD_DNS_TXT, dmarc_cb, dmarc);
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

  if (_md_auth_could_not_ask (answer))
    {
      dmarc_finish (dmarc, MD_CHECK_STATUS_ERROR,
                    _("Could not check whether your domain tells receiving servers what to do "
                      "with forged mail (DMARC), because the name servers did not answer."),
                    answer != NULL ? answer->detail : NULL);
      return;
    }

  records = _md_auth_select_records (answer, md_dmarc_is_record);
  broken = _md_auth_select_records (answer, md_dmarc_mentions_version);
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
dmarc_start (MdAuthProbe *ma)
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
  MdAuthProbe *ma;
  MdCheck     *check;
  gint64       started_us;
  guint        n_pending;
  guint        n_unanswered;
  DkimSlot     slots[G_N_ELEMENTS (dkim_selectors)];
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
  MdAuthProbe *ma = dkim->ma;
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

  _md_auth_finish_check (ma, dkim->check, dkim->started_us, status, summary, detail->str);
  dkim_free (dkim);
  _md_auth_release (ma);
}

static void
dkim_cb (gpointer           data,
         const MdDnsAnswer *answer)
{
  DkimSlot *slot = data;
  Dkim *dkim = slot->dkim;
  g_autoptr(GPtrArray) records = _md_auth_select_records (answer, md_dkim_is_key_record);

  if (_md_auth_could_not_ask (answer))
    dkim->n_unanswered++;
  else if (records->len > 0)
    slot->key = md_dkim_key_parse (g_ptr_array_index (records, 0));

  if (--dkim->n_pending == 0)
    dkim_finish (dkim);
}

static void
dkim_start (MdAuthProbe *ma)
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
      _md_auth_lookup (ma, name, MD_DNS_TXT, dkim_cb, &dkim->slots[i]);
    }
}

/* MTA-STS and TLS-RPT */

typedef struct
{
  MdAuthProbe *ma;
  MdCheck     *check;
  gint64       started_us;
  guint        n_pending;
  GString     *detail;
} MtaSts;

/* "present", "absent", "malformed" or "could-not-ask". */
static const char *
policy_state (const MdDnsAnswer  *answer,
              gboolean          (*is_record) (const char *text),
              char             *(*check) (const char *text),
              GString            *detail,
              const char         *name)
{
  g_autoptr(GPtrArray) records = _md_auth_select_records (answer, is_record);
  g_autofree char *error = NULL;

  if (_md_auth_could_not_ask (answer))
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
  MdAuthProbe *ma = m->ma;
  g_autofree char *summary = NULL;
  MdCheckStatus status;

  if (--m->n_pending > 0)
    return;

  summary = mta_sts_summary (md_check_get_evidence (m->check, "mta_sts"),
                             md_check_get_evidence (m->check, "tls_rpt"), &status);
  _md_auth_finish_check (ma, m->check, m->started_us, status, summary,
                         m->detail->len > 0 ? g_strchomp (m->detail->str) : NULL);
  g_object_unref (m->check);
  g_string_free (m->detail, TRUE);
  g_free (m);
  _md_auth_release (ma);
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
mta_sts_start (MdAuthProbe *ma)
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
  _md_auth_lookup (ma, sts_name, MD_DNS_TXT, mta_sts_cb, m);
  _md_auth_lookup (ma, rpt_name, MD_DNS_TXT, tls_rpt_cb, m);
}

/* The probe */

static const MdCheckId checks[] = {
  MD_CHECK_AUTH_SPF, MD_CHECK_AUTH_DKIM, MD_CHECK_AUTH_DMARC, MD_CHECK_AUTH_MTA_STS,
};

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
  g_autofree char *domain = md_email_dup_domain (md_account_get_email (account));
  MdAuthProbe *ma;

  _md_diagnosis_probe_started (diagnosis);

  if (domain == NULL)
    {
      skip_all (diagnosis, _("Not tested: no email address was given"));
      _md_diagnosis_probe_done (diagnosis);
      return;
    }

  ma = g_new0 (MdAuthProbe, 1);
  ma->diagnosis = g_object_ref (diagnosis);
  ma->domain = g_steal_pointer (&domain);

  /* Held until every check has started, so that one finishing at once
   * cannot end the probe early. */
  ma->n_active = 1;
  if (_md_diagnosis_wants (diagnosis, MD_CHECK_AUTH_SPF))
    _md_auth_spf_start (ma);
  if (_md_diagnosis_wants (diagnosis, MD_CHECK_AUTH_DMARC))
    dmarc_start (ma);
  if (_md_diagnosis_wants (diagnosis, MD_CHECK_AUTH_DKIM))
    dkim_start (ma);
  if (_md_diagnosis_wants (diagnosis, MD_CHECK_AUTH_MTA_STS))
    mta_sts_start (ma);
  _md_auth_release (ma);
}
