/* md-test-pki.c: a throwaway PKI for tests, made with certtool
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>

#include "md-test-pki.h"

struct _MdTestPki
{
  char            *dir;
  char            *ca_file;
  GTlsCertificate *certificate;
};

static const char ca_template[] =
  "cn = \"Mail Doctor Test CA\"\n"
  "ca\n"
  "cert_signing_key\n"
  "crl_signing_key\n"
  "expiration_days = 3650\n";

static const char server_template[] =
  "cn = \"mx.test.example\"\n"
  "dns_name = \"mx.test.example\"\n"
  "dns_name = \"localhost\"\n"
  "ip_address = \"127.0.0.1\"\n"
  "ip_address = \"::1\"\n"
  "tls_www_server\n"
  "signing_key\n"
  "encryption_key\n"
  "expiration_days = 3650\n";

static gboolean
pki_certtool (MdTestPki          *self,
              const char * const *args,
              GError            **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *errors = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) "certtool");
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (char *) *args);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (self->dir, (char **) argv->pdata, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDIN_FROM_DEV_NULL,
                     NULL, NULL, NULL, &errors, &status, error))
    return FALSE;

  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "certtool: %s: ", errors);
      return FALSE;
    }

  return TRUE;
}

static gboolean
pki_write (MdTestPki   *self,
           const char  *name,
           const char  *contents,
           GError     **error)
{
  g_autofree char *path = g_build_filename (self->dir, name, NULL);

  return g_file_set_contents (path, contents, -1, error);
}

static gboolean
pki_generate (MdTestPki  *self,
              GError    **error)
{
  static const char * const ca_key[] = {
    "--generate-privkey", "--key-type=ecdsa", "--no-text", "--outfile", "ca.key", NULL
  };
  static const char * const ca_cert[] = {
    "--generate-self-signed", "--load-privkey", "ca.key", "--template", "ca.tmpl",
    "--outfile", "ca.pem", NULL
  };
  static const char * const server_key[] = {
    "--generate-privkey", "--key-type=ecdsa", "--no-text", "--outfile", "server.key", NULL
  };
  static const char * const server_cert[] = {
    "--generate-certificate", "--load-privkey", "server.key", "--load-ca-certificate", "ca.pem",
    "--load-ca-privkey", "ca.key", "--template", "server.tmpl", "--outfile", "server.pem", NULL
  };

  return pki_write (self, "ca.tmpl", ca_template, error) &&
         pki_write (self, "server.tmpl", server_template, error) &&
         pki_certtool (self, ca_key, error) &&
         pki_certtool (self, ca_cert, error) &&
         pki_certtool (self, server_key, error) &&
         pki_certtool (self, server_cert, error);
}

/**
 * md_test_pki_new:
 *
 * Makes a CA and a server certificate in a new temporary directory. Fails
 * when certtool (gnutls-bin) is missing; tests then skip what needs TLS.
 *
 * Returns: (transfer full) (nullable): the PKI, or %NULL with @error set
 */
MdTestPki *
md_test_pki_new (GError **error)
{
  g_autoptr(MdTestPki) self = g_new0 (MdTestPki, 1);
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;

  self->dir = g_dir_make_tmp ("md-test-pki-XXXXXX", error);
  if (self->dir == NULL || !pki_generate (self, error))
    return NULL;

  /* GTlsFileDatabase wants an absolute path; g_dir_make_tmp gives one. */
  self->ca_file = g_build_filename (self->dir, "ca.pem", NULL);
  cert_file = g_build_filename (self->dir, "server.pem", NULL);
  key_file = g_build_filename (self->dir, "server.key", NULL);
  self->certificate = g_tls_certificate_new_from_files (cert_file, key_file, error);
  if (self->certificate == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

/* Tests may put more files here (a password file); they go with the rest. */
const char *
md_test_pki_get_dir (MdTestPki *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->dir;
}

const char *
md_test_pki_get_ca_file (MdTestPki *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->ca_file;
}

GTlsCertificate *
md_test_pki_get_certificate (MdTestPki *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->certificate;
}

static void
pki_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }

  g_rmdir (path);
}

void
md_test_pki_free (MdTestPki *self)
{
  g_return_if_fail (self != NULL);

  if (self->dir != NULL)
    pki_remove_dir (self->dir);

  g_clear_pointer (&self->dir, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_object (&self->certificate);
  g_free (self);
}
