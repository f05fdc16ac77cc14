/* md-tls-cert.c: reading X.509 certificates into MdTlsCertInfo
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both a probe handshake and a chain verification show the certificates
 * they saw, so the reading lives here, apart from either.
 */

#include "md-config.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>
#include <gnutls/x509.h>

#include "md-tls-private.h"

/* Information objects */

void
md_tls_cert_info_free (MdTlsCertInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->subject);
  g_free (self->issuer);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_strfreev (self->names);
  g_free (self->fingerprint_sha256);
  g_free (self->key_type);
  g_clear_pointer (&self->der, g_bytes_unref);
  g_free (self);
}

MdTlsCertInfo *
_md_tls_cert_info_copy (const MdTlsCertInfo *self)
{
  MdTlsCertInfo *copy = g_new0 (MdTlsCertInfo, 1);

  copy->subject = g_strdup (self->subject);
  copy->issuer = g_strdup (self->issuer);
  copy->not_before = self->not_before != NULL ? g_date_time_ref (self->not_before) : NULL;
  copy->not_after = self->not_after != NULL ? g_date_time_ref (self->not_after) : NULL;
  copy->names = g_strdupv (self->names);
  copy->fingerprint_sha256 = g_strdup (self->fingerprint_sha256);
  copy->key_type = g_strdup (self->key_type);
  copy->key_bits = self->key_bits;
  copy->self_signed = self->self_signed;
  copy->der = self->der != NULL ? g_bytes_ref (self->der) : NULL;

  return copy;
}

/* Reading certificates */

/* Takes a string GnuTLS allocated and hands back a GLib one. */
char *
_md_tls_steal_datum_string (gnutls_datum_t *datum)
{
  char *str = g_strndup ((const char *) datum->data, datum->size);

  gnutls_free (datum->data);
  datum->data = NULL;

  return str;
}

static char *
cert_dn (gnutls_x509_crt_t crt,
         gboolean          issuer)
{
  gnutls_datum_t datum = { NULL, 0 };
  int ret;

  /* Flags 0 means RFC 4514 order, as the header promises. */
  if (issuer)
    ret = gnutls_x509_crt_get_issuer_dn3 (crt, &datum, 0);
  else
    ret = gnutls_x509_crt_get_dn3 (crt, &datum, 0);

  return ret == GNUTLS_E_SUCCESS ? _md_tls_steal_datum_string (&datum) : NULL;
}

static GDateTime *
cert_time (time_t when)
{
  return when != (time_t) -1 ? g_date_time_new_from_unix_utc (when) : NULL;
}

static char *
cert_common_name (gnutls_x509_crt_t crt)
{
  g_autofree char *buffer = NULL;
  size_t size = 0;
  int ret;

  ret = gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, NULL, &size);
  if (ret != GNUTLS_E_SHORT_MEMORY_BUFFER)
    return NULL;

  buffer = g_malloc0 (size + 1);
  ret = gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buffer, &size);

  return ret == GNUTLS_E_SUCCESS ? g_steal_pointer (&buffer) : NULL;
}

static char *
san_to_string (unsigned int          type,
               const gnutls_datum_t *san)
{
  g_autoptr(GInetAddress) address = NULL;

  if (type == GNUTLS_SAN_DNSNAME)
    return g_strndup ((const char *) san->data, san->size);

  if (type != GNUTLS_SAN_IPADDRESS || (san->size != 4 && san->size != 16))
    return NULL;

  address = g_inet_address_new_from_bytes (san->data, san->size == 4 ? G_SOCKET_FAMILY_IPV4
                                                                      : G_SOCKET_FAMILY_IPV6);
  return g_inet_address_to_string (address);
}

static void
add_alt_names (gnutls_x509_crt_t  crt,
               GPtrArray         *names)
{
  gnutls_datum_t ext = { NULL, 0 };
  gnutls_subject_alt_names_t sans = NULL;

  if (gnutls_x509_crt_get_extension_by_oid2 (crt, GNUTLS_X509EXT_OID_SAN, 0, &ext, NULL) < 0)
    return;

  if (gnutls_subject_alt_names_init (&sans) == GNUTLS_E_SUCCESS &&
      gnutls_x509_ext_import_subject_alt_names (&ext, sans, 0) == GNUTLS_E_SUCCESS)
    {
      unsigned int type;
      gnutls_datum_t san;

      for (guint i = 0; gnutls_subject_alt_names_get (sans, i, &type, &san, NULL) >= 0; i++)
        {
          char *name = san_to_string (type, &san);

          if (name != NULL)
            g_ptr_array_add (names, name);
        }
    }

  if (sans != NULL)
    gnutls_subject_alt_names_deinit (sans);
  gnutls_free (ext.data);
}

static gboolean
names_contain (GPtrArray  *names,
               const char *name)
{
  for (guint i = 0; i < names->len; i++)
    {
      if (g_ascii_strcasecmp (g_ptr_array_index (names, i), name) == 0)
        return TRUE;
    }

  return FALSE;
}

static GStrv
cert_names (gnutls_x509_crt_t crt)
{
  GPtrArray *names = g_ptr_array_new ();
  char *common_name;

  add_alt_names (crt, names);

  /* The CN comes last and only once: clients look at it only when there is
   * no subjectAltName, and it usually repeats one. */
  common_name = cert_common_name (crt);
  if (common_name != NULL && !names_contain (names, common_name))
    g_ptr_array_add (names, common_name);
  else
    g_free (common_name);

  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}

static char *
cert_fingerprint (gnutls_x509_crt_t crt)
{
  guchar digest[32];
  size_t size = sizeof digest;
  GString *hex;

  if (gnutls_x509_crt_get_fingerprint (crt, GNUTLS_DIG_SHA256, digest, &size) != GNUTLS_E_SUCCESS)
    return NULL;

  /* Upper case with colons, as browsers and openssl show it. */
  hex = g_string_sized_new (size * 3);
  for (gsize i = 0; i < size; i++)
    g_string_append_printf (hex, i == 0 ? "%02X" : ":%02X", digest[i]);

  return g_string_free (hex, FALSE);
}

/* Whether the certificate is its own issuer and its signature checks out
 * with its own key. It is its own "CA" here, so the CA constraints, times
 * and trust are beside the point: only the signature counts. */
static gboolean
cert_is_self_signed (gnutls_x509_crt_t crt)
{
  const unsigned int flags = GNUTLS_VERIFY_DO_NOT_ALLOW_SAME |
                             GNUTLS_VERIFY_DISABLE_CA_SIGN |
                             GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                             GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
                             GNUTLS_VERIFY_ALLOW_BROKEN;
  unsigned int status = 0;

  if (!gnutls_x509_crt_check_issuer (crt, crt))
    return FALSE;

  if (gnutls_x509_crt_verify (crt, &crt, 1, flags, &status) != GNUTLS_E_SUCCESS)
    return FALSE;

  return status == 0;
}

MdTlsCertInfo *
_md_tls_cert_info_new (gnutls_x509_crt_t  crt,
                       GBytes            *der)
{
  MdTlsCertInfo *self = g_new0 (MdTlsCertInfo, 1);
  unsigned int bits = 0;
  int algorithm;

  self->subject = cert_dn (crt, FALSE);
  self->issuer = cert_dn (crt, TRUE);
  self->not_before = cert_time (gnutls_x509_crt_get_activation_time (crt));
  self->not_after = cert_time (gnutls_x509_crt_get_expiration_time (crt));
  self->names = cert_names (crt);
  self->fingerprint_sha256 = cert_fingerprint (crt);
  self->self_signed = cert_is_self_signed (crt);
  self->der = g_bytes_ref (der);

  algorithm = gnutls_x509_crt_get_pk_algorithm (crt, &bits);
  if (algorithm >= 0)
    {
      /* GnuTLS calls it "EC/ECDSA"; every other name is the usual one. */
      self->key_type = g_strdup (algorithm == GNUTLS_PK_ECDSA ? "ECDSA"
                                                              : gnutls_pk_get_name (algorithm));
      self->key_bits = bits;
    }

  return self;
}

gnutls_x509_crt_t
_md_tls_cert_import (GBytes *der)
{
  gnutls_datum_t datum;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gsize size;

  datum.data = (unsigned char *) g_bytes_get_data (der, &size);
  datum.size = size;

  if (gnutls_x509_crt_init (&crt) != GNUTLS_E_SUCCESS ||
      gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) != GNUTLS_E_SUCCESS)
    return NULL;

  return g_steal_pointer (&crt);
}
