/* md-tls.c: TLS analysis on GnuTLS
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GIO's TLS connection negotiates whatever the backend allows and says
 * little about why a certificate is bad, so the analysis speaks GnuTLS
 * directly. A probe handshake runs on the socket's file descriptor, driven
 * by GSocket readiness sources on the caller's main context, so the main
 * loop never blocks and a cancellable (the caller's deadline) ends it at
 * once. Verification needs the system trust store, which takes tens of
 * milliseconds to load, so it runs in a worker thread on copies of its
 * inputs, loads the store once per process, and not at all when the
 * user's own CA file vouches for the chain. Both read the certificates
 * they saw with md-tls-cert.c.
 */

#include "md-config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "md-enums.h"
#include "md-error.h"
#include "md-tls-private.h"

/* TLS 1.0 and 1.1 servers are often old: offer them the ciphers of their
 * time and tolerate their quirks, because the question a probe asks is
 * whether the server still accepts the version, not whether the rest of
 * its setup is good. */
#define LEGACY ":+3DES-CBC:+ARCFOUR-128:%COMPAT"

static const struct
{
  MdTlsVersion       version;
  gnutls_protocol_t  protocol;
  const char        *priority;
} versions[] = {
  { MD_TLS_VERSION_SSL_3_0, GNUTLS_SSL3,   "NORMAL:-VERS-ALL:+VERS-SSL3.0" LEGACY },
  { MD_TLS_VERSION_1_0,     GNUTLS_TLS1_0, "NORMAL:-VERS-ALL:+VERS-TLS1.0" LEGACY },
  { MD_TLS_VERSION_1_1,     GNUTLS_TLS1_1, "NORMAL:-VERS-ALL:+VERS-TLS1.1" LEGACY },
  { MD_TLS_VERSION_1_2,     GNUTLS_TLS1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.2" },
  { MD_TLS_VERSION_1_3,     GNUTLS_TLS1_3, "NORMAL:-VERS-ALL:+VERS-TLS1.3" },
};

static void
trust_list_deinit (gnutls_x509_trust_list_t list)
{
  gnutls_x509_trust_list_deinit (list, 1);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_trust_list_t, trust_list_deinit, NULL)

G_DEFINE_BOXED_TYPE (MdTlsInfo, md_tls_info, md_tls_info_copy, md_tls_info_free)

/**
 * md_tls_version_to_string:
 *
 * Returns: the version's name as people write it, e.g. "TLS 1.2"
 */
const char *
md_tls_version_to_string (MdTlsVersion version)
{
  return md_enum_to_nick (MD_TYPE_TLS_VERSION, version);
}

/**
 * md_tls_verdict_to_string:
 *
 * Returns: the verdict's stable id, e.g. "name-mismatch"
 */
const char *
md_tls_verdict_to_string (MdTlsVerdict verdict)
{
  return md_enum_to_nick (MD_TYPE_TLS_VERDICT, verdict);
}

static MdTlsVersion
version_from_gnutls (gnutls_protocol_t protocol)
{
  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      if (versions[i].protocol == protocol)
        return versions[i].version;
    }

  return MD_TLS_VERSION_UNKNOWN;
}

static const char *
priority_for (MdTlsVersion version)
{
  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      if (versions[i].version == version)
        return versions[i].priority;
    }

  return "NORMAL";
}

/* Information objects */

static MdTlsInfo *
info_new (void)
{
  MdTlsInfo *self = g_new0 (MdTlsInfo, 1);

  self->chain = g_ptr_array_new_with_free_func ((GDestroyNotify) md_tls_cert_info_free);
  self->verdict = MD_TLS_VERDICT_INVALID;

  return self;
}

MdTlsInfo *
md_tls_info_copy (const MdTlsInfo *self)
{
  MdTlsInfo *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = info_new ();
  copy->version = self->version;
  copy->cipher_suite = g_strdup (self->cipher_suite);
  copy->verdict = self->verdict;
  copy->verdict_detail = g_strdup (self->verdict_detail);
  copy->by_ca_file = self->by_ca_file;

  for (guint i = 0; self->chain != NULL && i < self->chain->len; i++)
    g_ptr_array_add (copy->chain, _md_tls_cert_info_copy (g_ptr_array_index (self->chain, i)));

  return copy;
}

void
md_tls_info_free (MdTlsInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->cipher_suite);
  g_clear_pointer (&self->chain, g_ptr_array_unref);
  g_free (self->verdict_detail);
  g_free (self);
}

/**
 * md_tls_info_dup_der_chain:
 *
 * The chain as md_tls_verify_chain_async() takes it, so that the chain a
 * probe handshake saw can be verified too.
 *
 * Returns: (transfer container) (element-type GBytes): the DER certificates,
 *   the server's first
 */
GPtrArray *
md_tls_info_dup_der_chain (const MdTlsInfo *self)
{
  GPtrArray *der_chain;

  g_return_val_if_fail (self != NULL, NULL);

  der_chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; self->chain != NULL && i < self->chain->len; i++)
    {
      const MdTlsCertInfo *cert = g_ptr_array_index (self->chain, i);

      if (cert->der != NULL)
        g_ptr_array_add (der_chain, g_bytes_ref (cert->der));
    }

  return der_chain;
}

/* Chain verification, in a worker thread */

typedef struct
{
  GPtrArray *der_chain;
  char      *hostname;
  char      *extra_ca_file;
} Verify;

static void
verify_free (Verify *v)
{
  g_ptr_array_unref (v->der_chain);
  g_free (v->hostname);
  g_free (v->extra_ca_file);
  g_free (v);
}

static GPtrArray *
import_chain (GPtrArray  *der_chain,
              GError    **error)
{
  g_autoptr(GPtrArray) crts = NULL;

  if (der_chain->len == 0)
    {
      g_set_error_literal (error, MD_ERROR, MD_ERROR_TLS,
                           _("The server did not send a certificate."));
      return NULL;
    }

  crts = g_ptr_array_new_with_free_func ((GDestroyNotify) gnutls_x509_crt_deinit);
  for (guint i = 0; i < der_chain->len; i++)
    {
      gnutls_x509_crt_t crt = _md_tls_cert_import (g_ptr_array_index (der_chain, i));

      if (crt == NULL)
        {
          g_set_error_literal (error, MD_ERROR, MD_ERROR_TLS,
                               _("The server’s certificate could not be read."));
          return NULL;
        }
      g_ptr_array_add (crts, crt);
    }

  return g_steal_pointer (&crts);
}

static gboolean
add_ca_file (gnutls_x509_trust_list_t   list,
             const char                *path,
             GCancellable              *cancellable,
             GError                   **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gnutls_datum_t datum;
  gsize length;

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &local_error))
    {
      g_debug ("Loading CA file: %s", local_error->message);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("The certificate file “%s” does not exist."), path);
      else
        g_set_error (error, G_IO_ERROR, local_error->code,
                     _("The certificate file “%s” could not be read."), path);
      return FALSE;
    }

  datum.data = (unsigned char *) contents;
  datum.size = length;
  if (gnutls_x509_trust_list_add_trust_mem (list, &datum, NULL, GNUTLS_X509_FMT_PEM, 0, 0) <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The certificate file “%s” holds no certificates."), path);
      return FALSE;
    }

  return TRUE;
}

static gnutls_x509_trust_list_t
new_trust_list (GError **error)
{
  gnutls_x509_trust_list_t list = NULL;

  if (gnutls_x509_trust_list_init (&list, 0) != GNUTLS_E_SUCCESS)
    {
      g_set_error_literal (error, MD_ERROR, MD_ERROR_TLS,
                           _("Could not prepare the certificate check."));
      return NULL;
    }

  return list;
}

/* The system's store, loaded the first time a chain needs it and kept
 * for the life of the process, as GIO keeps its default database: every
 * check of a GUI session or a watch would otherwise load it again. It is
 * only read after it is made; the mutex keeps GnuTLS's lookups apart all
 * the same. NULL with @error when no list could be made. */
static GMutex system_trust_mutex;

static gpointer
load_system_trust (gpointer data)
{
  gnutls_x509_trust_list_t list = new_trust_list (NULL);
  int n_system;

  if (list == NULL)
    return NULL;

  /* Without system certificates every public server shows as "unknown
   * issuer"; that is what the verdict will say, so it is not an error. */
  n_system = gnutls_x509_trust_list_add_system_trust (list, 0, 0);
  g_debug ("System trust store: %d certificates", n_system);

  return list;
}

static gnutls_x509_trust_list_t
get_system_trust (GError **error)
{
  static GOnce once = G_ONCE_INIT;
  gnutls_x509_trust_list_t list = g_once (&once, load_system_trust, NULL);

  if (list == NULL)
    g_set_error_literal (error, MD_ERROR, MD_ERROR_TLS,
                         _("Could not prepare the certificate check."));

  return list;
}

static gboolean
verify_against (gnutls_x509_trust_list_t  list,
                GPtrArray                *crts,
                gnutls_typed_vdata_st    *vdata,
                guint                     n_vdata,
                GMutex                   *mutex,
                unsigned int             *status,
                GError                  **error)
{
  int ret;

  if (mutex != NULL)
    g_mutex_lock (mutex);
  ret = gnutls_x509_trust_list_verify_crt2 (list, (gnutls_x509_crt_t *) crts->pdata, crts->len,
                                            vdata, n_vdata, 0, status, NULL);
  if (mutex != NULL)
    g_mutex_unlock (mutex);

  if (ret != GNUTLS_E_SUCCESS)
    {
      g_debug ("Verifying the chain: %s", gnutls_strerror (ret));
      g_set_error_literal (error, MD_ERROR, MD_ERROR_TLS,
                           _("The server’s certificate could not be checked."));
      return FALSE;
    }

  return TRUE;
}

/* The chain's status against the user's CA file and the system's store,
 * as one list of both would give it: trusted when either vouches for it.
 * The CA file goes first; when it vouches, the system store is never
 * loaded. When neither does, the file's answer wins if the chain leads to
 * it (its other faults are the ones to tell), else the system's. */
static gboolean
verify_status (GPtrArray              *crts,
               const char             *extra_ca_file,
               gnutls_typed_vdata_st  *vdata,
               guint                   n_vdata,
               GCancellable           *cancellable,
               unsigned int           *status,
               gboolean               *by_file,
               GError                **error)
{
  unsigned int file_status = GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_NOT_FOUND;
  gnutls_x509_trust_list_t system_trust;

  *by_file = FALSE;

  if (extra_ca_file != NULL)
    {
      g_auto(gnutls_x509_trust_list_t) file_trust = new_trust_list (error);

      if (file_trust == NULL ||
          !add_ca_file (file_trust, extra_ca_file, cancellable, error) ||
          !verify_against (file_trust, crts, vdata, n_vdata, NULL, &file_status, error))
        return FALSE;

      if (file_status == 0)
        {
          *status = 0;
          *by_file = TRUE;
          return TRUE;
        }
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      (system_trust = get_system_trust (error)) == NULL ||
      !verify_against (system_trust, crts, vdata, n_vdata, &system_trust_mutex, status, error))
    return FALSE;

  if (*status != 0 && !(file_status & GNUTLS_CERT_SIGNER_NOT_FOUND))
    *status = file_status;

  return TRUE;
}

/* One verdict from GnuTLS's status bits, which often come several at once
 * (an expired self-signed certificate is also from an unknown signer).
 * The order is what a person can act on first: a wrong clock or a lapsed
 * certificate, then who vouches for it, then the name, then the rest. */
static MdTlsVerdict
verdict_from_status (unsigned int status,
                     gboolean     leaf_self_signed)
{
  if (status == 0)
    return MD_TLS_VERDICT_TRUSTED;
  if (status & GNUTLS_CERT_NOT_ACTIVATED)
    return MD_TLS_VERDICT_NOT_YET_VALID;
  if (status & GNUTLS_CERT_EXPIRED)
    return MD_TLS_VERDICT_EXPIRED;
  if ((status & GNUTLS_CERT_SIGNER_NOT_FOUND) && leaf_self_signed)
    return MD_TLS_VERDICT_SELF_SIGNED;
  if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
    return MD_TLS_VERDICT_UNKNOWN_ISSUER;
  if (status & GNUTLS_CERT_UNEXPECTED_OWNER)
    return MD_TLS_VERDICT_NAME_MISMATCH;
  if (status & GNUTLS_CERT_REVOKED)
    return MD_TLS_VERDICT_REVOKED;
  if (status & GNUTLS_CERT_INSECURE_ALGORITHM)
    return MD_TLS_VERDICT_INSECURE;

  return MD_TLS_VERDICT_INVALID;
}

/* Fills @vdata with what the server's certificate must be good for: a TLS
 * server, with @hostname as its name or IP address. @ip must outlive the
 * verification. Returns how many entries it filled. */
static guint
verify_data (const char           *hostname,
             GInetAddress        **ip,
             gnutls_typed_vdata_st vdata[2])
{
  vdata[0].type = GNUTLS_DT_KEY_PURPOSE_OID;
  vdata[0].data = (unsigned char *) GNUTLS_KP_TLS_WWW_SERVER;
  vdata[0].size = 0;

  if (hostname == NULL)
    return 1;

  *ip = g_inet_address_new_from_string (hostname);
  if (*ip != NULL)
    {
      vdata[1].type = GNUTLS_DT_IP_ADDRESS;
      vdata[1].data = (unsigned char *) g_inet_address_to_bytes (*ip);
      vdata[1].size = g_inet_address_get_native_size (*ip);
    }
  else
    {
      vdata[1].type = GNUTLS_DT_DNS_HOSTNAME;
      vdata[1].data = (unsigned char *) hostname;
      vdata[1].size = 0;
    }

  return 2;
}

static char *
status_text (unsigned int status)
{
  gnutls_datum_t out = { NULL, 0 };

  if (gnutls_certificate_verification_status_print (status, GNUTLS_CRT_X509, &out, 0) < 0)
    return NULL;

  /* GnuTLS ends every sentence with a space, the last one too. */
  return g_strstrip (_md_tls_steal_datum_string (&out));
}

static MdTlsInfo *
verify_chain (Verify        *v,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GPtrArray) crts = NULL;
  g_autoptr(GInetAddress) ip = NULL;
  gnutls_typed_vdata_st vdata[2];
  guint n_vdata;
  unsigned int status = 0;
  gboolean by_file = FALSE;
  MdTlsInfo *info;

  if ((crts = import_chain (v->der_chain, error)) == NULL ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  n_vdata = verify_data (v->hostname, &ip, vdata);
  if (!verify_status (crts, v->extra_ca_file, vdata, n_vdata, cancellable, &status, &by_file,
                      error))
    return NULL;

  info = info_new ();
  info->by_ca_file = by_file;
  for (guint i = 0; i < crts->len; i++)
    g_ptr_array_add (info->chain, _md_tls_cert_info_new (g_ptr_array_index (crts, i),
                                                         g_ptr_array_index (v->der_chain, i)));

  info->verdict = verdict_from_status (status,
                                       ((MdTlsCertInfo *) info->chain->pdata[0])->self_signed);
  info->verdict_detail = status_text (status);
  g_debug ("Chain for %s: status 0x%x, verdict %s",
           v->hostname != NULL ? v->hostname : "any name", status,
           md_tls_verdict_to_string (info->verdict));

  return info;
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Verify *v = task_data;
  g_autoptr(GError) error = NULL;
  MdTlsInfo *info;

  info = verify_chain (v, cancellable, &error);
  if (info == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, info, (GDestroyNotify) md_tls_info_free);
}

/**
 * md_tls_verify_chain_async:
 * @der_chain: (element-type GBytes): the server's certificates, DER encoded
 * @hostname: (nullable): the name the client connected to; an IP literal
 *   is matched against the certificate's IP addresses; %NULL checks no name
 * @extra_ca_file: (nullable): a PEM file of further trusted certificates;
 *   a relative path is taken from the current directory
 *
 * The result's verdict is the single most relevant problem, in this order:
 * not yet valid, expired, self-signed (the server's own certificate signed
 * itself and nothing trusted vouches for it), unknown issuer, name
 * mismatch, revoked, insecure algorithm, anything else (invalid). A file
 * that cannot be read is an error in %G_IO_ERROR; a chain that cannot be
 * parsed is %MD_ERROR_TLS.
 */
void
md_tls_verify_chain_async (GPtrArray           *der_chain,
                           const char          *hostname,
                           const char          *extra_ca_file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Verify *v;

  g_return_if_fail (der_chain != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  v = g_new0 (Verify, 1);
  v->der_chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < der_chain->len; i++)
    g_ptr_array_add (v->der_chain, g_bytes_ref (g_ptr_array_index (der_chain, i)));
  v->hostname = g_strdup (hostname);
  v->extra_ca_file = g_strdup (extra_ca_file);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_tls_verify_chain_async);
  g_task_set_task_data (task, v, (GDestroyNotify) verify_free);
  /* No return-on-cancel: a thread left running inside GnuTLS when the
   * program exits crashes in GnuTLS's teardown, and the work takes
   * milliseconds anyway. */
  g_task_run_in_thread (task, verify_thread);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  g_tls_backend_get_default ();
  /* A store that cannot be made is reported by the check that needs it. */
  if (GPOINTER_TO_INT (task_data))
    get_system_trust (NULL);
  g_task_return_boolean (task, TRUE);
}

/**
 * md_tls_prepare_async:
 * @system_trust: whether the system trust store will be needed, that is
 *   whether the certificate check will not rely on a CA file alone
 *
 * Both are loaded once per process, so after the first time this returns
 * at once. The caller waits for it before the program may end: a thread
 * left inside GnuTLS at exit crashes in GnuTLS's teardown.
 */
void
md_tls_prepare_async (gboolean             system_trust,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);

  g_task_set_source_tag (task, md_tls_prepare_async);
  g_task_set_task_data (task, GINT_TO_POINTER (system_trust), NULL);
  g_task_run_in_thread (task, prepare_thread);
}

void
md_tls_prepare_finish (GAsyncResult *result)
{
  g_return_if_fail (g_task_is_valid (result, NULL));

  g_task_propagate_boolean (G_TASK (result), NULL);
}

MdTlsInfo *
md_tls_verify_chain_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == md_tls_verify_chain_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Probe handshakes, on the main context */

typedef struct
{
  GSocket                          *socket;
  MdTlsVersion                      version;
  gnutls_session_t                  session;
  gnutls_certificate_credentials_t  credentials;
} Handshake;

static void
handshake_free (Handshake *h)
{
  if (h->session != NULL)
    gnutls_deinit (h->session);
  if (h->credentials != NULL)
    gnutls_certificate_free_credentials (h->credentials);
  g_clear_object (&h->socket);
  g_free (h);
}

static gboolean
handshake_setup (Handshake   *h,
                 const char  *server_name,
                 GError     **error)
{
  /* GSocket's descriptor is always non-blocking; NO_SIGNAL keeps a server
   * that hangs up from killing us with SIGPIPE. */
  int ret = gnutls_init (&h->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK | GNUTLS_NO_SIGNAL);

  if (ret == GNUTLS_E_SUCCESS)
    ret = gnutls_certificate_allocate_credentials (&h->credentials);
  if (ret == GNUTLS_E_SUCCESS)
    ret = gnutls_credentials_set (h->session, GNUTLS_CRD_CERTIFICATE, h->credentials);
  if (ret == GNUTLS_E_SUCCESS && server_name != NULL && !g_hostname_is_ip_address (server_name))
    ret = gnutls_server_name_set (h->session, GNUTLS_NAME_DNS, server_name, strlen (server_name));
  if (ret != GNUTLS_E_SUCCESS)
    {
      g_debug ("TLS session setup: %s", gnutls_strerror (ret));
      g_set_error_literal (error, MD_ERROR, MD_ERROR_TLS,
                           _("Could not prepare the encrypted connection."));
      return FALSE;
    }

  ret = gnutls_priority_set_direct (h->session, priority_for (h->version), NULL);
  if (ret != GNUTLS_E_SUCCESS)
    {
      /* SSL 3.0 is no longer built into GnuTLS. */
      g_debug ("TLS priority for %s: %s", md_tls_version_to_string (h->version),
               gnutls_strerror (ret));
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("This program cannot test %s."), md_tls_version_to_string (h->version));
      return FALSE;
    }

  gnutls_transport_set_int (h->session, g_socket_get_fd (h->socket));
  return TRUE;
}

/* Any fatal alert counts as a refusal of what was offered, whatever its
 * name: OpenSSL 3 answers a TLS 1.0 hello it cannot sign for with
 * "internal error", not "protocol version". */
static gboolean
is_refusal (int code)
{
  return code == GNUTLS_E_FATAL_ALERT_RECEIVED ||
         code == GNUTLS_E_UNSUPPORTED_VERSION_PACKET ||
         code == GNUTLS_E_NO_CIPHER_SUITES ||
         code == GNUTLS_E_UNKNOWN_CIPHER_SUITE ||
         code == GNUTLS_E_INSUFFICIENT_SECURITY;
}

static gboolean
is_hang_up (int code)
{
  return code == GNUTLS_E_PREMATURE_TERMINATION ||
         code == GNUTLS_E_PULL_ERROR ||
         code == GNUTLS_E_PUSH_ERROR ||
         code == GNUTLS_E_SESSION_EOF;
}

static gboolean
is_not_tls (int code)
{
  return code == GNUTLS_E_UNEXPECTED_PACKET ||
         code == GNUTLS_E_UNEXPECTED_PACKET_LENGTH ||
         code == GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET ||
         code == GNUTLS_E_RECORD_OVERFLOW;
}

/* Plain words for the user; GnuTLS's own go to the debug log. */
static GError *
handshake_error (Handshake *h,
                 int        code)
{
  const char *version = md_tls_version_to_string (h->version);
  gboolean alert = code == GNUTLS_E_FATAL_ALERT_RECEIVED;

  g_debug ("TLS handshake (%s) failed: %s%s%s", version, gnutls_strerror (code),
           alert ? " Alert: " : "",
           alert ? gnutls_alert_get_name (gnutls_alert_get (h->session)) : "");

  if (code == GNUTLS_E_TIMEDOUT)
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                _("The server did not finish setting up encryption in time."));
  if (is_refusal (code) && h->version == MD_TLS_VERSION_UNKNOWN)
    return g_error_new_literal (MD_ERROR, MD_ERROR_TLS,
                                _("The server refused every encryption setting this program "
                                  "offered."));
  if (is_refusal (code))
    return g_error_new (MD_ERROR, MD_ERROR_TLS, _("The server does not accept %s."), version);
  if (is_hang_up (code))
    return g_error_new_literal (MD_ERROR, MD_ERROR_TLS,
                                _("The server hung up while setting up encryption."));
  if (is_not_tls (code))
    return g_error_new_literal (MD_ERROR, MD_ERROR_TLS,
                                _("The server did not answer with encryption. It may expect "
                                  "plain text on this port."));

  return g_error_new_literal (MD_ERROR, MD_ERROR_TLS,
                              _("Setting up encryption with the server failed."));
}

static MdTlsInfo *
handshake_info (Handshake *h)
{
  MdTlsInfo *info = info_new ();
  const gnutls_datum_t *peers;
  unsigned int n_peers = 0;

  info->version = version_from_gnutls (gnutls_protocol_get_version (h->session));
  info->cipher_suite = g_strdup (gnutls_ciphersuite_get (h->session));

  peers = gnutls_certificate_get_peers (h->session, &n_peers);
  for (guint i = 0; peers != NULL && i < n_peers; i++)
    {
      g_autoptr(GBytes) der = g_bytes_new (peers[i].data, peers[i].size);
      g_auto(gnutls_x509_crt_t) crt = _md_tls_cert_import (der);

      /* What cannot be parsed cannot be shown either; verification of the
       * rest will say the chain is broken. */
      if (crt != NULL)
        g_ptr_array_add (info->chain, _md_tls_cert_info_new (crt, der));
      else
        g_debug ("Skipping unreadable certificate %u of the server's chain", i);
    }

  return info;
}

static void handshake_step (GTask *task);

static gboolean
on_socket_ready (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  GTask *task = user_data;

  g_assert (G_IS_TASK (task));

  if (!g_task_return_error_if_cancelled (task))
    handshake_step (task);

  /* Each wait gets a source of its own: the direction may change. */
  return G_SOURCE_REMOVE;
}

static void
handshake_wait (GTask *task)
{
  Handshake *h = g_task_get_task_data (task);
  GIOCondition condition = gnutls_record_get_direction (h->session) == 0 ? G_IO_IN : G_IO_OUT;
  g_autoptr(GSource) source = NULL;

  source = g_socket_create_source (h->socket, condition, g_task_get_cancellable (task));
  g_source_set_callback (source, G_SOURCE_FUNC (on_socket_ready), g_object_ref (task),
                         g_object_unref);
  g_source_set_static_name (source, "[md] TLS handshake");
  g_source_attach (source, g_task_get_context (task));
}

static void
handshake_step (GTask *task)
{
  Handshake *h = g_task_get_task_data (task);
  int ret;

  /* Warning alerts (an unrecognised server name, say) are not fatal: the
   * handshake goes on with the next call. */
  do
    ret = gnutls_handshake (h->session);
  while (ret < 0 && ret != GNUTLS_E_AGAIN && ret != GNUTLS_E_INTERRUPTED &&
         !gnutls_error_is_fatal (ret));

  if (ret == GNUTLS_E_SUCCESS)
    g_task_return_pointer (task, handshake_info (h), (GDestroyNotify) md_tls_info_free);
  else if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
    handshake_wait (task);
  else
    g_task_return_error (task, handshake_error (h, ret));
}

/**
 * md_tls_handshake_async:
 * @socket: a connected socket, past any plaintext STARTTLS exchange
 * @version: the one version to offer; %MD_TLS_VERSION_UNKNOWN offers what
 *   GnuTLS offers by default
 * @server_name: (nullable): sent as SNI unless it is an IP literal
 *
 * A handshake the server refuses fails with %MD_ERROR_TLS and a plain
 * message (e.g. "The server does not accept TLS 1.0."); a version this
 * program cannot offer fails with %G_IO_ERROR_NOT_SUPPORTED; cancelling
 * ends it at once with %G_IO_ERROR_CANCELLED. The result's verdict is
 * %MD_TLS_VERDICT_INVALID, because nothing was verified: pass
 * md_tls_info_dup_der_chain() to md_tls_verify_chain_async() for that.
 */
void
md_tls_handshake_async (GSocket             *socket,
                        MdTlsVersion         version,
                        const char          *server_name,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Handshake *h;

  g_return_if_fail (G_IS_SOCKET (socket));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  h = g_new0 (Handshake, 1);
  h->socket = g_object_ref (socket);
  h->version = version;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_tls_handshake_async);
  g_task_set_task_data (task, h, (GDestroyNotify) handshake_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!handshake_setup (h, server_name, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  handshake_step (task);
}

MdTlsInfo *
md_tls_handshake_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == md_tls_handshake_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
