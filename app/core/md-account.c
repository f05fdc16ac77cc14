/* md-account.c: the user's SMTP account settings
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "md-config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "md-account.h"
#include "md-compat.h"
#include "md-enums.h"
#include "md-error.h"

#define PORT_SUBMISSION      587
#define PORT_SUBMISSIONS     465

struct _MdAccount
{
  GObject     parent_instance;

  char       *email;
  char       *host;
  guint       port;
  MdSecurity  security;
  char       *username;
  char       *client_ip;
  char       *error_text;
  char       *ca_file;
  gboolean    allow_plaintext_auth;
  guint64     message_size;

  /* Not a property on purpose: nothing may bind, copy or serialise it. */
  char       *password;
};

G_DEFINE_FINAL_TYPE (MdAccount, md_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_EMAIL,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_USERNAME,
  PROP_CLIENT_IP,
  PROP_ERROR_TEXT,
  PROP_CA_FILE,
  PROP_ALLOW_PLAINTEXT_AUTH,
  PROP_MESSAGE_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
md_account_finalize (GObject *object)
{
  MdAccount *self = (MdAccount *)object;

  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->client_ip, g_free);
  g_clear_pointer (&self->error_text, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->password, md_secret_free);

  G_OBJECT_CLASS (md_account_parent_class)->finalize (object);
}

static void
md_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MdAccount *self = MD_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_SECURITY:
      g_value_set_enum (value, self->security);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_CLIENT_IP:
      g_value_set_string (value, self->client_ip);
      break;

    case PROP_ERROR_TEXT:
      g_value_set_string (value, self->error_text);
      break;

    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;

    case PROP_ALLOW_PLAINTEXT_AUTH:
      g_value_set_boolean (value, self->allow_plaintext_auth);
      break;

    case PROP_MESSAGE_SIZE:
      g_value_set_uint64 (value, self->message_size);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_account_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  MdAccount *self = MD_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      md_account_set_email (self, g_value_get_string (value));
      break;

    case PROP_HOST:
      md_account_set_host (self, g_value_get_string (value));
      break;

    case PROP_PORT:
      md_account_set_port (self, g_value_get_uint (value));
      break;

    case PROP_SECURITY:
      md_account_set_security (self, g_value_get_enum (value));
      break;

    case PROP_USERNAME:
      md_account_set_username (self, g_value_get_string (value));
      break;

    case PROP_CLIENT_IP:
      md_account_set_client_ip (self, g_value_get_string (value));
      break;

    case PROP_ERROR_TEXT:
      md_account_set_error_text (self, g_value_get_string (value));
      break;

    case PROP_CA_FILE:
      md_account_set_ca_file (self, g_value_get_string (value));
      break;

    case PROP_ALLOW_PLAINTEXT_AUTH:
      md_account_set_allow_plaintext_auth (self, g_value_get_boolean (value));
      break;

    case PROP_MESSAGE_SIZE:
      md_account_set_message_size (self, g_value_get_uint64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              (G_PARAM_READWRITE |
                               G_PARAM_EXPLICIT_NOTIFY |
                               G_PARAM_STATIC_STRINGS));
}

static void
md_account_class_init (MdAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = md_account_finalize;
  object_class->get_property = md_account_get_property;
  object_class->set_property = md_account_set_property;

  properties[PROP_EMAIL] = string_property ("email");
  properties[PROP_HOST] = string_property ("host");
  properties[PROP_USERNAME] = string_property ("username");
  properties[PROP_CLIENT_IP] = string_property ("client-ip");
  properties[PROP_ERROR_TEXT] = string_property ("error-text");
  properties[PROP_CA_FILE] = string_property ("ca-file");

  /* 0 means "not set": the effective port then follows the security. */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECURITY] =
    g_param_spec_enum ("security", NULL, NULL,
                       MD_TYPE_SECURITY, MD_SECURITY_AUTO,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALLOW_PLAINTEXT_AUTH] =
    g_param_spec_boolean ("allow-plaintext-auth", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The size of the message that will not go out, in bytes; 0 when the
   * user has not said. */
  properties[PROP_MESSAGE_SIZE] =
    g_param_spec_uint64 ("message-size", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
md_account_init (MdAccount *self)
{
  self->security = MD_SECURITY_AUTO;
}

MdAccount *
md_account_new (void)
{
  return g_object_new (MD_TYPE_ACCOUNT, NULL);
}

/* Sets one string property and notifies only when the text changed. */
static void
set_string_prop (MdAccount  *self,
                 char      **field,
                 const char *value,
                 guint       prop_id)
{
  if (md_set_str (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static gboolean
is_set (const char *text)
{
  return text != NULL && *text != '\0';
}

const char *
md_account_get_email (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), NULL);

  return self->email;
}

void
md_account_set_email (MdAccount  *self,
                      const char *email)
{
  g_return_if_fail (MD_IS_ACCOUNT (self));

  set_string_prop (self, &self->email, email, PROP_EMAIL);
}

const char *
md_account_get_host (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), NULL);

  return self->host;
}

void
md_account_set_host (MdAccount  *self,
                     const char *host)
{
  g_return_if_fail (MD_IS_ACCOUNT (self));

  set_string_prop (self, &self->host, host, PROP_HOST);
}

guint
md_account_get_port (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), 0);

  return self->port;
}

/**
 * md_account_set_port:
 * @port: 1 to 65535, or 0 for "not set"
 *
 * Sets the port. With 0, md_account_get_effective_port() picks the usual
 * port for the security setting.
 */
void
md_account_set_port (MdAccount *self,
                     guint      port)
{
  g_return_if_fail (MD_IS_ACCOUNT (self));
  g_return_if_fail (port <= G_MAXUINT16);

  if (self->port == port)
    return;

  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

MdSecurity
md_account_get_security (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), MD_SECURITY_AUTO);

  return self->security;
}

void
md_account_set_security (MdAccount  *self,
                         MdSecurity  security)
{
  g_return_if_fail (MD_IS_ACCOUNT (self));
  g_return_if_fail (security <= MD_SECURITY_TLS);

  if (self->security == security)
    return;

  self->security = security;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECURITY]);
}

const char *
md_account_get_username (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), NULL);

  return self->username;
}

void
md_account_set_username (MdAccount  *self,
                         const char *username)
{
  g_return_if_fail (MD_IS_ACCOUNT (self));

  set_string_prop (self, &self->username, username, PROP_USERNAME);
}

const char *
md_account_get_client_ip (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), NULL);

  return self->client_ip;
}

void
md_account_set_client_ip (MdAccount  *self,
                          const char *client_ip)
{
  g_return_if_fail (MD_IS_ACCOUNT (self));

  set_string_prop (self, &self->client_ip, client_ip, PROP_CLIENT_IP);
}

const char *
md_account_get_error_text (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), NULL);

  return self->error_text;
}

void
md_account_set_error_text (MdAccount  *self,
                           const char *error_text)
{
  g_return_if_fail (MD_IS_ACCOUNT (self));

  set_string_prop (self, &self->error_text, error_text, PROP_ERROR_TEXT);
}

const char *
md_account_get_ca_file (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), NULL);

  return self->ca_file;
}

void
md_account_set_ca_file (MdAccount  *self,
                        const char *ca_file)
{
  g_return_if_fail (MD_IS_ACCOUNT (self));

  set_string_prop (self, &self->ca_file, ca_file, PROP_CA_FILE);
}

gboolean
md_account_get_allow_plaintext_auth (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), FALSE);

  return self->allow_plaintext_auth;
}

void
md_account_set_allow_plaintext_auth (MdAccount *self,
                                     gboolean   allow)
{
  g_return_if_fail (MD_IS_ACCOUNT (self));

  allow = !!allow;
  if (self->allow_plaintext_auth == allow)
    return;

  self->allow_plaintext_auth = allow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_PLAINTEXT_AUTH]);
}

guint64
md_account_get_message_size (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), 0);

  return self->message_size;
}

void
md_account_set_message_size (MdAccount *self,
                             guint64    size)
{
  g_return_if_fail (MD_IS_ACCOUNT (self));

  if (self->message_size == size)
    return;

  self->message_size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE_SIZE]);
}

/**
 * md_account_set_password:
 * @password: (nullable): the password; %NULL or "" clears it
 *
 * Copies @password into the one buffer the account owns. The previous
 * password, if any, is wiped before its memory is freed.
 */
void
md_account_set_password (MdAccount  *self,
                         const char *password)
{
  g_return_if_fail (MD_IS_ACCOUNT (self));

  /* Passing back what peek returned must not free it before copying. */
  if (password == self->password)
    return;

  g_clear_pointer (&self->password, md_secret_free);
  if (is_set (password))
    self->password = g_strdup (password);
}

/**
 * md_account_peek_password:
 *
 * Returns: (transfer none) (nullable): the password, valid until it is set
 *   again or cleared; do not keep or copy it
 */
const char *
md_account_peek_password (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), NULL);

  return self->password;
}

gboolean
md_account_has_password (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), FALSE);

  return self->password != NULL;
}

void
md_account_clear_password (MdAccount *self)
{
  g_return_if_fail (MD_IS_ACCOUNT (self));

  g_clear_pointer (&self->password, md_secret_free);
}

/**
 * md_account_dup_host_ascii:
 *
 * The host as a resolver wants it: internationalised names in their ASCII
 * (punycode) form, lower case, without a trailing dot, and IPv6 literals
 * without brackets.
 *
 * Returns: (transfer full) (nullable): the host, or %NULL when no host is
 *   set or it cannot be converted
 */
char *
md_account_dup_host_ascii (MdAccount *self)
{
  g_autofree char *name = NULL;
  gsize len;

  g_return_val_if_fail (MD_IS_ACCOUNT (self), NULL);

  if (!is_set (self->host))
    return NULL;

  len = strlen (self->host);
  if (len > 2 && self->host[0] == '[' && self->host[len - 1] == ']')
    name = g_strndup (self->host + 1, len - 2);
  else
    name = g_strdup (self->host);

  /* GLib drops a trailing dot from internationalised names but keeps it on
   * ASCII ones, so remove it first to get the same answer for both. */
  len = strlen (name);
  if (len > 0 && name[len - 1] == '.')
    name[len - 1] = '\0';

  /* g_hostname_to_ascii() wants valid UTF-8: GLib 2.74 passes some broken
   * text through as it is ("a\x80", which is then no ASCII name) and reads
   * past the end of other text ("b\xc3\xbc\xf8\x91"). The setter takes
   * any bytes, so they are checked here. */
  if (!g_utf8_validate (name, -1, NULL))
    return NULL;

  /* Documented to return lower case, for IP literals too. */
  return g_hostname_to_ascii (name);
}

/**
 * md_account_get_effective_port:
 *
 * Returns: the port set, or when none is set the submission port that
 *   matches the security: 465 for implicit TLS, 587 otherwise
 */
guint
md_account_get_effective_port (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), PORT_SUBMISSION);

  if (self->port != 0)
    return self->port;

  return md_security_get_usual_port (self->security);
}

guint
md_security_get_usual_port (MdSecurity security)
{
  return security == MD_SECURITY_TLS ? PORT_SUBMISSIONS : PORT_SUBMISSION;
}

/**
 * md_account_get_effective_security:
 *
 * Port 465 always speaks TLS from the first byte, so "auto" on 465 means
 * implicit TLS. Elsewhere "auto" stays auto: use STARTTLS when offered.
 *
 * Returns: the security to connect with
 */
MdSecurity
md_account_get_effective_security (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), MD_SECURITY_AUTO);

  if (self->security == MD_SECURITY_AUTO && self->port == PORT_SUBMISSIONS)
    return MD_SECURITY_TLS;

  return self->security;
}

/**
 * md_account_get_effective_username:
 *
 * Returns: (nullable): the username if set, else the email address, which
 *   most providers use as the login name
 */
const char *
md_account_get_effective_username (MdAccount *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), NULL);

  return is_set (self->username) ? self->username : self->email;
}

/* Validation of the account as a whole; md-validate.c checks the single
 * boxes. Each failure is one sentence that names the part that is wrong
 * and says how to fix it, for someone who has never heard of SMTP. */

/* A CA bundle of every public authority is well under a megabyte. */
#define CA_FILE_MAX_BYTES (16 * 1024 * 1024)

/* The file must hold at least one certificate that GnuTLS can read: an
 * empty file, a private key or any other text would otherwise make every
 * certificate look untrusted, a wrong answer given with confidence. */
static gboolean
validate_ca_contents (const char  *ca_file,
                      const char  *display,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  gnutls_x509_crt_t *crts = NULL;
  unsigned int n_crts = 0;
  gnutls_datum_t datum;
  gsize length = 0;
  int ret;

  if (!g_file_get_contents (ca_file, &contents, &length, NULL))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_INVALID_INPUT,
                   _("The certificate file “%s” can’t be read; check that it is yours to "
                     "open"), display);
      return FALSE;
    }

  if (length > CA_FILE_MAX_BYTES)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_INVALID_INPUT,
                   _("The certificate file “%s” is too large to be a list of certificates"),
                   display);
      return FALSE;
    }

  datum.data = (unsigned char *) contents;
  datum.size = (unsigned int) length;
  ret = gnutls_x509_crt_list_import2 (&crts, &n_crts, &datum, GNUTLS_X509_FMT_PEM, 0);
  for (unsigned int i = 0; ret >= 0 && i < n_crts; i++)
    gnutls_x509_crt_deinit (crts[i]);
  gnutls_free (crts);

  if (ret < 0 || n_crts == 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_INVALID_INPUT,
                   _("The certificate file “%s” holds no certificate: it must be a PEM file "
                     "with lines “-----BEGIN CERTIFICATE-----”, as your mail provider or "
                     "administrator gives it"), display);
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_ca_file (const char  *ca_file,
                  GError     **error)
{
  g_autofree char *display = g_filename_display_name (ca_file);

  if (!g_file_test (ca_file, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_INVALID_INPUT,
                   _("The certificate file “%s” can’t be found; choose it again"), display);
      return FALSE;
    }

  if (!g_file_test (ca_file, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_INVALID_INPUT,
                   _("The certificate file “%s” is a folder; choose the file inside it"),
                   display);
      return FALSE;
    }

  return validate_ca_contents (ca_file, display, error);
}

/**
 * md_account_validate:
 * @error: return location for a plain-language %MD_ERROR_INVALID_INPUT
 *
 * Checks the settings in the order a user fills the form, so the message
 * is about the first box that needs fixing: email (if set), server (if
 * set; one of the two is needed), client IP and certificate file (if set).
 * The port needs no check: the setter only takes 0 to 65535.
 *
 * Returns: %TRUE if a check can start with these settings
 */
gboolean
md_account_validate (MdAccount  *self,
                     GError    **error)
{
  g_return_val_if_fail (MD_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_set (self->email) && !is_set (self->host))
    {
      g_set_error_literal (error, MD_ERROR, MD_ERROR_INVALID_INPUT,
                           _("Type your email address, or the name of your outgoing server"));
      return FALSE;
    }
  if (is_set (self->email) && !md_validate_email (self->email, error))
    return FALSE;
  if (is_set (self->host) && !md_validate_host (self->host, error))
    return FALSE;
  if (is_set (self->client_ip) && !md_validate_client_ip (self->client_ip, error))
    return FALSE;
  if (is_set (self->ca_file) && !validate_ca_file (self->ca_file, error))
    return FALSE;

  return TRUE;
}
