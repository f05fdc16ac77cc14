/* md-validate.c: checks of what the user types, in plain words
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each failure is one sentence that names the part that is wrong and says
 * how to fix it, for someone who has never heard of SMTP.
 */

#include "md-config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "md-enums.h"
#include "md-error.h"
#include "md-validate.h"

#define MAX_EMAIL_LENGTH     254
#define MAX_LOCAL_LENGTH     64
#define MAX_HOST_LENGTH      253
#define MAX_LABEL_LENGTH     63

static gboolean
is_set (const char *text)
{
  return text != NULL && *text != '\0';
}

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_set_error_literal (error, MD_ERROR, MD_ERROR_INVALID_INPUT, message);
  return FALSE;
}

/* Tabs, line breaks and broken UTF-8 come from copy and paste; none of
 * them can be seen, so they get their own message. */
static gboolean
has_hidden_chars (const char *text)
{
  const char *p;

  if (!g_utf8_validate (text, -1, NULL))
    return TRUE;

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        return TRUE;
    }

  return FALSE;
}

/* md_validate_port_string() gives this text as typed, which may be broken
 * UTF-8: g_utf8_next_char() would step over the NUL after a lone lead byte
 * ("\xca") and read past the end, so only the valid start is searched. The
 * callers refuse the rest for what it is. */
static gboolean
has_spaces (const char *text)
{
  const char *end;
  const char *p;

  g_utf8_validate (text, -1, &end);
  for (p = text; p < end; p = g_utf8_next_char (p))
    {
      if (g_unichar_isspace (g_utf8_get_char (p)))
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_ip_address (const char    *text,
               GSocketFamily  family)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (text);

  return address != NULL &&
         (family == G_SOCKET_FAMILY_INVALID || g_inet_address_get_family (address) == family);
}

static gboolean
is_all_digits (const char *text)
{
  return *text != '\0' && strspn (text, "0123456789") == strlen (text);
}

/* Host names, shared by the server name and the part of an email address
 * after @: what is wrong is the same, the words for it differ. */
typedef enum
{
  NAME_OK,
  NAME_BAD_IDN,
  NAME_LEADING_DOT,
  NAME_DOUBLE_DOT,
  NAME_LABEL_TOO_LONG,
  NAME_BAD_CHAR,
  NAME_HYPHEN,
  NAME_TOO_LONG,
  NAME_ALL_NUMERIC,
} NameProblem;

static NameProblem
check_label (const char *label,
             char       *bad_char)
{
  gsize len = strlen (label);
  gsize i;

  if (len > MAX_LABEL_LENGTH)
    return NAME_LABEL_TOO_LONG;

  for (i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (label[i]) && label[i] != '-')
        {
          *bad_char = label[i];
          return NAME_BAD_CHAR;
        }
    }

  if (label[0] == '-' || label[len - 1] == '-')
    return NAME_HYPHEN;

  return NAME_OK;
}

static NameProblem
check_labels (const char *ascii,
              char       *bad_char)
{
  g_auto(GStrv) labels = NULL;
  guint i;

  if (*ascii == '\0' || *ascii == '.')
    return NAME_LEADING_DOT;

  labels = g_strsplit (ascii, ".", -1);
  for (i = 0; labels[i] != NULL; i++)
    {
      NameProblem problem;

      if (*labels[i] == '\0')
        return NAME_DOUBLE_DOT;

      problem = check_label (labels[i], bad_char);
      if (problem != NAME_OK)
        return problem;
    }

  return NAME_OK;
}

/* @name has no trailing dot. Letter rules apply to the ASCII form, after
 * IDN conversion, which is what goes over the wire. */
static NameProblem
check_host_name (const char  *name,
                 char       **ascii_out,
                 char        *bad_char)
{
  g_autofree char *ascii = NULL;
  NameProblem problem;

  if (g_hostname_is_non_ascii (name))
    ascii = g_hostname_to_ascii (name);
  else
    ascii = g_strdup (name);

  if (ascii == NULL)
    return NAME_BAD_IDN;

  problem = check_labels (ascii, bad_char);
  if (problem != NAME_OK)
    return problem;

  if (strlen (ascii) > MAX_HOST_LENGTH)
    return NAME_TOO_LONG;

  if (strspn (ascii, "0123456789.") == strlen (ascii))
    return NAME_ALL_NUMERIC;

  if (ascii_out != NULL)
    *ascii_out = g_steal_pointer (&ascii);

  return NAME_OK;
}

static gboolean
host_name_error (NameProblem   problem,
                 char          bad_char,
                 GError      **error)
{
  switch (problem)
    {
    case NAME_BAD_IDN:
      return fail (error, _("The server name has letters that can’t be used in a server name, "
                            "or one of its parts is too long"));
    case NAME_LEADING_DOT:
      return fail (error, _("The server name can’t start with a dot"));
    case NAME_DOUBLE_DOT:
      return fail (error, _("The server name can’t have two dots in a row"));
    case NAME_LABEL_TOO_LONG:
      return fail (error, _("Each part of the server name between dots can have at most "
                            "63 characters"));
    case NAME_BAD_CHAR:
      g_set_error (error, MD_ERROR, MD_ERROR_INVALID_INPUT,
                   _("The server name can’t contain “%c”; use only letters, digits, "
                     "hyphens and dots"), bad_char);
      return FALSE;
    case NAME_HYPHEN:
      return fail (error, _("A part of the server name can’t start or end with a hyphen (-)"));
    case NAME_TOO_LONG:
      return fail (error, _("The server name is too long; check that you typed the right one"));
    case NAME_ALL_NUMERIC:
      return fail (error, _("The server’s IP address isn’t valid; "
                            "it should look like 192.0.2.1"));
    case NAME_OK:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
domain_name_error (NameProblem   problem,
                   char          bad_char,
                   GError      **error)
{
  switch (problem)
    {
    case NAME_LEADING_DOT:
      return fail (error, _("The part after @ can’t start with a dot"));
    case NAME_DOUBLE_DOT:
      return fail (error, _("The part after @ can’t have two dots in a row"));
    case NAME_BAD_CHAR:
      g_set_error (error, MD_ERROR, MD_ERROR_INVALID_INPUT,
                   _("The part after @ can’t contain “%c”; check the address for typing "
                     "mistakes"), bad_char);
      return FALSE;
    case NAME_HYPHEN:
      return fail (error, _("A part of the domain after @ can’t start or end with a hyphen (-)"));
    case NAME_BAD_IDN:
    case NAME_LABEL_TOO_LONG:
    case NAME_TOO_LONG:
    case NAME_ALL_NUMERIC:
      return fail (error, _("The part after @ isn’t a valid domain name; check the address for "
                            "typing mistakes"));
    case NAME_OK:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_atext (gunichar c)
{
  /* RFC 6531 allows any non-ASCII character in the local part. */
  if (c >= 0x80)
    return TRUE;

  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* Finds the one @ outside quotes; spaces are allowed only inside quotes,
 * as in "john doe"@example.com. Only a quote that opens the address starts
 * a quoted part: anywhere else it is a misplaced character. */
static gboolean
find_at_sign (const char  *email,
              const char **at,
              GError     **error)
{
  gboolean quoted = FALSE;
  guint n_at = 0;
  const char *p;

  for (p = email; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (quoted && c == '\\' && p[1] != '\0')
        p++;
      else if (c == '"' && (quoted || p == email))
        quoted = !quoted;
      else if (!quoted && g_unichar_isspace (c))
        return fail (error, _("The email address can’t contain spaces"));
      else if (!quoted && c == '@')
        {
          n_at++;
          *at = p;
        }
    }

  if (quoted)
    return fail (error, _("A quotation mark (\") in the email address isn’t closed"));
  if (n_at == 0)
    return fail (error, _("Type the full address, like name@example.com"));
  if (n_at > 1)
    return fail (error, _("The email address can have only one @"));

  return TRUE;
}

static gboolean
validate_dot_atom (const char  *local,
                   GError     **error)
{
  const char *p;

  if (local[0] == '.' || g_str_has_suffix (local, "."))
    return fail (error, _("The part before @ can’t start or end with a dot"));
  if (strstr (local, "..") != NULL)
    return fail (error, _("The part before @ can’t have two dots in a row"));

  for (p = local; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char utf8[8] = { 0 };

      if (c == '.' || is_atext (c))
        continue;

      g_unichar_to_utf8 (c, utf8);
      g_set_error (error, MD_ERROR, MD_ERROR_INVALID_INPUT,
                   _("The part before @ can’t contain “%s”; check the address for typing "
                     "mistakes"), utf8);
      return FALSE;
    }

  return TRUE;
}

/* A quoted local part ("john doe") may hold anything but a bare quote or
 * backslash; the closing quote must be the last character. */
static gboolean
validate_quoted_local (const char  *local,
                       GError     **error)
{
  gsize len = strlen (local);
  gsize i = 1;

  while (i < len && local[i] != '"')
    i += local[i] == '\\' ? 2 : 1;

  if (i != len - 1)
    return fail (error, _("In the part before @, a closing quotation mark must come last"));

  return TRUE;
}

static gboolean
validate_local_part (const char  *local,
                     GError     **error)
{
  if (*local == '\0')
    return fail (error, _("Type the part before @, like name@example.com"));
  if (strlen (local) > MAX_LOCAL_LENGTH)
    return fail (error, _("The part before @ is too long; it can have at most 64 characters"));

  if (local[0] == '"')
    return validate_quoted_local (local, error);

  return validate_dot_atom (local, error);
}

/* [192.0.2.1] or [IPv6:2001:db8::1], as RFC 5321 writes address literals. */
static gboolean
validate_address_literal (const char  *domain,
                          GError     **error)
{
  gsize len = strlen (domain);
  g_autofree char *inner = NULL;
  GSocketFamily family = G_SOCKET_FAMILY_IPV4;
  const char *address;

  if (len < 2 || domain[len - 1] != ']')
    return fail (error, _("The address after @ starts with [ but doesn’t end with ]"));

  inner = g_strndup (domain + 1, len - 2);
  address = inner;
  if (g_ascii_strncasecmp (inner, "IPv6:", 5) == 0)
    {
      family = G_SOCKET_FAMILY_IPV6;
      address = inner + 5;
    }

  if (!is_ip_address (address, family))
    return fail (error, _("The IP address in square brackets after @ isn’t valid"));

  return TRUE;
}

static gboolean
validate_domain (const char  *domain,
                 GError     **error)
{
  g_autofree char *ascii = NULL;
  NameProblem problem;
  char bad_char = '\0';

  if (*domain == '\0')
    return fail (error, _("Type the part after @, like name@example.com"));
  if (domain[0] == '[')
    return validate_address_literal (domain, error);
  if (g_str_has_suffix (domain, "."))
    return fail (error, _("The part after @ can’t end with a dot"));
  if (is_ip_address (domain, G_SOCKET_FAMILY_INVALID))
    return fail (error, _("Put an IP address after @ in square brackets, like name@[192.0.2.1]"));

  problem = check_host_name (domain, &ascii, &bad_char);
  if (problem != NAME_OK)
    return domain_name_error (problem, bad_char, error);

  if (strchr (ascii, '.') == NULL)
    return fail (error, _("The part after @ must be a full domain name, like example.com"));

  return TRUE;
}

/**
 * md_validate_email:
 * @email: (nullable): an email address as typed
 * @error: return location for a plain-language %MD_ERROR_INVALID_INPUT
 *
 * Checks an address the way RFC 5321 and RFC 6531 (international
 * addresses) define it, with one explanation for the first problem found.
 *
 * Returns: %TRUE if @email can be used
 */
gboolean
md_validate_email (const char  *email,
                   GError     **error)
{
  g_autofree char *local = NULL;
  const char *at = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_set (email))
    return fail (error, _("Type your email address, like name@example.com"));
  if (has_hidden_chars (email))
    return fail (error, _("The email address has a hidden character, like a tab or a line break; "
                          "type it again"));
  if (strlen (email) > MAX_EMAIL_LENGTH)
    return fail (error, _("The email address is too long; it can have at most 254 characters"));
  if (!find_at_sign (email, &at, error))
    return FALSE;

  local = g_strndup (email, at - email);

  return validate_local_part (local, error) && validate_domain (at + 1, error);
}

/* "[2001:db8::1]", optionally followed by a port the user should move. */
static gboolean
validate_bracketed_host (const char  *host,
                         GError     **error)
{
  const char *close = strchr (host, ']');
  g_autofree char *inner = NULL;

  if (close == NULL)
    return fail (error, _("The server address starts with [ but doesn’t end with ]"));
  if (close[1] == ':')
    return fail (error, _("Put the port in the Port box, not after the server name"));
  if (close[1] != '\0')
    return fail (error, _("The server address can’t have anything after the ]"));

  inner = g_strndup (host + 1, close - host - 1);
  if (!is_ip_address (inner, G_SOCKET_FAMILY_INVALID))
    return fail (error, _("The server address in square brackets isn’t a valid IP address"));

  return TRUE;
}

/* A colon is either an IPv6 address or a port typed after the name. */
static gboolean
validate_host_with_colon (const char  *host,
                          GError     **error)
{
  const char *colon = strchr (host, ':');

  if (is_ip_address (host, G_SOCKET_FAMILY_IPV6))
    return TRUE;
  if (strchr (colon + 1, ':') != NULL)
    return fail (error, _("The server’s IPv6 address isn’t valid; "
                          "it should look like 2001:db8::25"));
  if (is_all_digits (colon + 1))
    return fail (error, _("Put the port in the Port box, not after the server name"));

  return host_name_error (NAME_BAD_CHAR, ':', error);
}

static gboolean
validate_host_name (const char  *host,
                    GError     **error)
{
  g_autofree char *name = g_strdup (host);
  gsize len = strlen (name);
  NameProblem problem;
  char bad_char = '\0';

  if (is_ip_address (host, G_SOCKET_FAMILY_IPV4))
    return TRUE;

  /* One trailing dot marks a fully qualified name; it is still valid. */
  if (name[len - 1] == '.')
    name[len - 1] = '\0';

  problem = check_host_name (name, NULL, &bad_char);
  if (problem != NAME_OK)
    return host_name_error (problem, bad_char, error);

  return TRUE;
}

/**
 * md_validate_host:
 * @host: (nullable): an outgoing server name or IP address as typed
 * @error: return location for a plain-language %MD_ERROR_INVALID_INPUT
 *
 * Accepts a host name (international names included), an IPv4 address, or
 * an IPv6 address with or without brackets. Catches the usual mistakes:
 * a scheme, a port, a path or an email address where the name belongs.
 *
 * Returns: %TRUE if @host can be used
 */
gboolean
md_validate_host (const char  *host,
                  GError     **error)
{
  const char *scheme_end;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_set (host))
    return fail (error, _("Type the outgoing server name, like smtp.example.com"));
  if (has_hidden_chars (host))
    return fail (error, _("The server name has a hidden character, like a tab or a line break; "
                          "type it again"));

  scheme_end = strstr (host, "://");
  if (scheme_end != NULL)
    {
      g_autofree char *scheme = g_strndup (host, scheme_end - host);

      g_set_error (error, MD_ERROR, MD_ERROR_INVALID_INPUT,
                   _("Type only the server name, without %s://"), scheme);
      return FALSE;
    }

  if (has_spaces (host))
    return fail (error, _("The server name can’t contain spaces"));
  if (strchr (host, '@') != NULL)
    return fail (error, _("This looks like an email address; type the server name, "
                          "like smtp.example.com"));
  if (strchr (host, '/') != NULL)
    return fail (error, _("Type only the server name, without a / or anything after it"));

  if (host[0] == '[')
    return validate_bracketed_host (host, error);
  if (strchr (host, ':') != NULL)
    return validate_host_with_colon (host, error);

  return validate_host_name (host, error);
}

/**
 * md_validate_port_string:
 * @text: (nullable): a port as typed
 * @port: (out) (optional): the port number, when valid
 * @error: return location for a plain-language %MD_ERROR_INVALID_INPUT
 *
 * Returns: %TRUE if @text is only digits and names a port from 1 to 65535
 */
gboolean
md_validate_port_string (const char  *text,
                         guint       *port,
                         GError     **error)
{
  guint64 value = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_set (text))
    return fail (error, _("Type a port number, like 587"));
  if (has_spaces (text))
    return fail (error, _("The port can’t contain spaces"));

  /* The range check also stops numbers too big for any integer. */
  if (!is_all_digits (text) ||
      !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT16, &value, NULL))
    return fail (error, _("The port must be a number from 1 to 65535"));

  if (port != NULL)
    *port = (guint)value;

  return TRUE;
}

/* Sizes as mail programs show them; like g_format_size(), "M" is a
 * million bytes. */
static const struct
{
  const char *suffix;
  guint64     factor;
} size_units[] = {
  { "", 1 }, { "b", 1 },
  { "k", 1000 }, { "kb", 1000 },
  { "m", 1000 * 1000 }, { "mb", 1000 * 1000 },
  { "g", 1000 * 1000 * 1000 }, { "gb", 1000 * 1000 * 1000 },
};

static gboolean
size_factor (const char *suffix,
             guint64    *factor)
{
  g_autofree char *lower = g_ascii_strdown (suffix, -1);

  g_strstrip (lower);
  for (gsize i = 0; i < G_N_ELEMENTS (size_units); i++)
    if (g_str_equal (lower, size_units[i].suffix))
      {
        *factor = size_units[i].factor;
        return TRUE;
      }

  return FALSE;
}

/**
 * md_validate_message_size:
 * @text: (nullable): a size as typed: "5M", "12 MB", "250k", "1048576"
 * @size: (out) (optional): the size in bytes, when valid
 * @error: return location for a plain-language %MD_ERROR_INVALID_INPUT
 *
 * Returns: %TRUE if @text is a whole number of bytes, kB, MB or GB, from
 *   1 byte to 100 GB
 */
gboolean
md_validate_message_size (const char  *text,
                          guint64     *size,
                          GError     **error)
{
  const char *message = _("Type the message size like 5M or 12 MB");
  guint64 value;
  guint64 factor;
  char *end;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_set (text) || !g_ascii_isdigit (*text))
    return fail (error, message);

  value = g_ascii_strtoull (text, &end, 10);
  if (!size_factor (end, &factor))
    return fail (error, message);

  if (value == 0 || value > G_GUINT64_CONSTANT (100000000000) / factor)
    return fail (error, _("The message size must be from 1 byte to 100 GB"));

  if (size != NULL)
    *size = value * factor;

  return TRUE;
}

/**
 * md_validate_client_ip:
 * @text: (nullable): an IPv4 or IPv6 address as typed
 * @error: return location for a plain-language %MD_ERROR_INVALID_INPUT
 *
 * Returns: %TRUE if @text is an IP address
 */
gboolean
md_validate_client_ip (const char  *text,
                       GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_set (text))
    return fail (error, _("Type an IP address, like 192.0.2.1"));
  if (has_hidden_chars (text))
    return fail (error, _("The IP address has a hidden character, like a tab or a line break; "
                          "type it again"));
  if (has_spaces (text))
    return fail (error, _("The IP address can’t contain spaces"));
  if (text[0] == '[')
    return fail (error, _("Type the IP address without square brackets"));
  if (is_ip_address (text, G_SOCKET_FAMILY_INVALID))
    return TRUE;

  /* Without a colon it is not IPv6, so letters mean a name was typed. */
  if (strchr (text, ':') == NULL && strspn (text, "0123456789.") != strlen (text))
    return fail (error, _("Type the IP address in numbers, like 192.0.2.1, not a name"));

  return fail (error, _("The IP address isn’t valid; it should look like 192.0.2.1 "
                        "or 2001:db8::1"));
}

/**
 * md_security_from_string:
 * @text: (nullable): one of "auto", "none", "starttls", "tls"
 * @security: (out): the value
 *
 * Returns: %TRUE if @text is a known name
 */
gboolean
md_security_from_string (const char *text,
                         MdSecurity *security)
{
  int value;

  g_return_val_if_fail (security != NULL, FALSE);

  if (!md_enum_from_nick (MD_TYPE_SECURITY, text, &value))
    return FALSE;

  *security = value;
  return TRUE;
}

const char *
md_security_to_string (MdSecurity security)
{
  return md_enum_to_nick (MD_TYPE_SECURITY, security);
}

/**
 * md_email_dup_domain:
 * @email: (nullable): an email address
 *
 * Returns: (transfer full) (nullable): the part after the last "@" in its
 *   ASCII (punycode) form, lower case, without a trailing dot, or %NULL
 *   when there is none or it is not a host name
 */
char *
md_email_dup_domain (const char *email)
{
  const char *at = email != NULL ? strrchr (email, '@') : NULL;
  g_autofree char *ascii = NULL;
  gsize len;

  if (at == NULL || at[1] == '\0')
    return NULL;

  /* g_hostname_to_ascii() wants valid UTF-8: GLib 2.74 passes some broken
   * text through as it is ("a\x80", which would go to DNS as it is) and
   * reads past the end of other text ("b\xc3\xbc\xf8\x91"). The email
   * may not have been validated yet. */
  if (!g_utf8_validate (at + 1, -1, NULL))
    return NULL;

  /* g_hostname_to_ascii() lower-cases internationalised names only. */
  ascii = g_hostname_to_ascii (at + 1);
  if (ascii == NULL)
    return NULL;

  len = strlen (ascii);
  if (len > 0 && ascii[len - 1] == '.')
    ascii[len - 1] = '\0';

  return ascii[0] != '\0' ? g_ascii_strdown (ascii, -1) : NULL;
}
