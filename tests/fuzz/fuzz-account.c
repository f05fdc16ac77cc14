/* fuzz-account.c: what the user types, validated
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is fields separated by newlines: email, host, port, username,
 * client IP, error text, CA file contents, message size, security. Each
 * goes to its validator and to the account, which is then validated whole.
 * The CA file field is written to a file of our own rather than taken as a
 * path: a path would let the fuzzer read /proc and /dev.
 */

#include <string.h>
#include <unistd.h>

#include "md-account.h"
#include "md-error.h"
#include "md-validate.h"
#include "md-fuzz.h"

static char *ca_path;

enum { EMAIL, HOST, PORT, USERNAME, CLIENT_IP, ERROR_TEXT, CA_FILE, SIZE, SECURITY, N_FIELDS };

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  int fd;

  md_fuzz_init ();
  fd = g_file_open_tmp ("md-fuzz-ca-XXXXXX.pem", &ca_path, &error);
  if (fd < 0)
    md_fuzz_fail ("no temporary file: %s", error->message);
  close (fd);

  return 0;
}

/* A validator says yes with no error, or no with a readable one. */
static gboolean
check_answer (gboolean    ok,
              GError     *error,
              const char *what)
{
  if (ok && error != NULL)
    md_fuzz_fail ("%s: valid, with an error", what);
  if (!ok && (error == NULL || !g_error_matches (error, MD_ERROR, MD_ERROR_INVALID_INPUT)))
    md_fuzz_fail ("%s: invalid, without an MD_ERROR_INVALID_INPUT", what);
  if (error != NULL)
    md_fuzz_check_utf8 (error->message, what);

  return ok;
}

static void
check_email (const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *domain = md_email_dup_domain (email);

  if (domain != NULL && !g_str_is_ascii (domain))
    md_fuzz_fail ("the email domain is not ASCII");
  if (check_answer (md_validate_email (email, &error), error, "email") && domain == NULL)
    md_fuzz_fail ("a valid email without a domain");
}

static void
check_fields (const char * const *fields)
{
  g_autoptr(GError) host_error = NULL;
  g_autoptr(GError) port_error = NULL;
  g_autoptr(GError) size_error = NULL;
  g_autoptr(GError) ip_error = NULL;
  guint port = 0;
  guint64 size = 0;
  MdSecurity security;

  check_email (fields[EMAIL]);
  check_answer (md_validate_host (fields[HOST], &host_error), host_error, "host");
  if (check_answer (md_validate_port_string (fields[PORT], &port, &port_error), port_error, "port") &&
      port > G_MAXUINT16)
    md_fuzz_fail ("port %u accepted", port);
  check_answer (md_validate_message_size (fields[SIZE], &size, &size_error), size_error, "size");
  check_answer (md_validate_client_ip (fields[CLIENT_IP], &ip_error), ip_error, "client IP");
  if (md_security_from_string (fields[SECURITY], &security))
    md_fuzz_check_utf8 (md_security_to_string (security), "security");
}

static void
check_account (const char * const *fields)
{
  g_autoptr(MdAccount) account = md_account_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *ascii = NULL;
  guint port = 0;
  guint64 size = 0;
  MdSecurity security = MD_SECURITY_AUTO;
  const char *effective;

  md_account_set_email (account, fields[EMAIL]);
  md_account_set_host (account, fields[HOST]);
  if (md_validate_port_string (fields[PORT], &port, NULL))
    md_account_set_port (account, port);
  md_account_set_username (account, fields[USERNAME]);
  md_account_set_client_ip (account, fields[CLIENT_IP]);
  md_account_set_error_text (account, fields[ERROR_TEXT]);
  if (fields[CA_FILE][0] != '\0')
    {
      if (!g_file_set_contents (ca_path, fields[CA_FILE], -1, NULL))
        md_fuzz_fail ("cannot write %s", ca_path);
      md_account_set_ca_file (account, ca_path);
    }
  if (md_validate_message_size (fields[SIZE], &size, NULL))
    md_account_set_message_size (account, size);
  md_security_from_string (fields[SECURITY], &security);
  md_account_set_security (account, security);
  md_account_set_password (account, fields[USERNAME]);

  check_answer (md_account_validate (account, &error), error, "account");

  ascii = md_account_dup_host_ascii (account);
  if (ascii != NULL && !g_str_is_ascii (ascii))
    md_fuzz_fail ("the ASCII host is not ASCII");
  effective = md_account_get_effective_username (account);
  if (effective != md_account_get_username (account) && effective != md_account_get_email (account))
    md_fuzz_fail ("the effective username is neither the username nor the email");
  if (md_account_get_effective_port (account) > G_MAXUINT16)
    md_fuzz_fail ("effective port out of range");
  md_account_get_effective_security (account);
  md_account_clear_password (account);
  if (md_account_has_password (account))
    md_fuzz_fail ("a cleared password is still there");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) split = NULL;
  const char *fields[N_FIELDS];
  guint n;

  if (size > 64 * 1024)
    return -1;

  text = md_fuzz_dup_string (data, size);
  split = g_strsplit (text, "\n", N_FIELDS);
  n = g_strv_length (split);
  for (guint i = 0; i < N_FIELDS; i++)
    fields[i] = i < n ? split[i] : "";

  check_fields (fields);
  check_account (fields);

  return 0;
}
