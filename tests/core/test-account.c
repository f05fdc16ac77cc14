/* test-account.c
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "md-account.h"
#include "md-compat.h"
#include "md-error.h"

typedef gboolean (*Validator) (const char  *text,
                               GError     **error);

typedef struct
{
  const char *input;
  /* A word the message must contain, so it names what is wrong. */
  const char *mentions;
} BadInput;

static gboolean
validate_port (const char  *text,
               GError     **error)
{
  guint port = 0;

  return md_validate_port_string (text, &port, error);
}

/* What users see must be our words, never a library's error text. */
static void
assert_plain_message (const char *message)
{
  g_assert_nonnull (message);
  g_assert_cmpuint (strlen (message), >, 10);
  g_assert_true (g_utf8_validate (message, -1, NULL));
  g_assert_true (g_unichar_isupper (g_utf8_get_char (message)));
  g_assert_null (strstr (message, "(null)"));
  g_assert_null (strstr (message, "GError"));
  g_assert_null (strstr (message, "g_"));
  g_assert_null (strstr (message, "%"));
  g_assert_null (strstr (message, "out of bounds"));
  g_assert_null (strstr (message, "Invalid"));
}

static void
assert_rejected (Validator   validate,
                 const char *input,
                 const char *subject,
                 const char *mentions)
{
  g_autoptr(GError) error = NULL;

  g_test_message ("rejecting “%s”", input != NULL ? input : "NULL");
  g_assert_false (validate (input, &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_INVALID_INPUT);
  assert_plain_message (error->message);
  g_test_message ("  → %s", error->message);

  if (subject != NULL)
    g_assert_nonnull (strstr (error->message, subject));
  if (mentions != NULL)
    g_assert_nonnull (strstr (error->message, mentions));
}

static void
assert_accepted (Validator   validate,
                 const char *input)
{
  g_autoptr(GError) error = NULL;

  g_test_message ("accepting “%s”", input);
  g_assert_true (validate (input, &error));
  g_assert_no_error (error);
}

static void
assert_all_rejected (Validator       validate,
                     const BadInput *cases,
                     gsize           n_cases,
                     const char     *subject)
{
  gsize i;

  for (i = 0; i < n_cases; i++)
    assert_rejected (validate, cases[i].input, subject, cases[i].mentions);
}

static char *
repeat (char  c,
        gsize n)
{
  char *s = g_malloc (n + 1);

  memset (s, c, n);
  s[n] = '\0';

  return s;
}

static void
test_email_bad (void)
{
  static const BadInput cases[] = {
    { "", "Type your email address" },
    { "name", "Type the full address, like name@example.com" },
    { "name@", "after @" },
    { "@example.com", "before @" },
    { "name@@example.com", "only one @" },
    { "a@b@example.com", "only one @" },
    { "john doe@example.com", "spaces" },
    { " name@example.com", "spaces" },
    { "name@example.com ", "spaces" },
    { "name@exa mple.com", "spaces" },
    { "name\t@example.com", "hidden character" },
    { "name@example.com\n", "hidden character" },
    { "name@localhost", "full domain name" },
    { ".name@example.com", "start or end with a dot" },
    { "name.@example.com", "start or end with a dot" },
    { "na..me@example.com", "two dots in a row" },
    { "na,me@example.com", "“,”" },
    { "na\"me@example.com", "“\"”" },
    { "name@exa\"mple.com", "after @" },
    { "\"unclosed@example.com", "isn’t closed" },
    { "\"john\"doe@example.com", "closing quotation mark" },
    { "name@example..com", "two dots in a row" },
    { "name@.example.com", "start with a dot" },
    { "name@example.com.", "end with a dot" },
    { "name@-example.com", "hyphen" },
    { "name@exa_mple.com", "“_”" },
    { "name@1.2.3.4", "square brackets" },
    { "name@1.2.3", "valid domain name" },
    { "name@[300.1.1.1]", "square brackets" },
    { "name@[IPv6:zz::1]", "square brackets" },
    { "name@[192.0.2.1", "doesn’t end with ]" },
  };

  assert_all_rejected (md_validate_email, cases, G_N_ELEMENTS (cases), NULL);
}

static void
test_email_bad_lengths (void)
{
  g_autofree char *local = repeat ('a', 65);
  g_autofree char *long_local = g_strconcat (local, "@example.com", NULL);
  g_autofree char *label = repeat ('b', 60);
  g_autofree char *long_email = g_strdup_printf ("name@%s.%s.%s.%s.example", label, label,
                                                 label, label);

  assert_rejected (md_validate_email, long_local, "before @", "64");
  g_assert_cmpuint (strlen (long_email), >, 254);
  assert_rejected (md_validate_email, long_email, "email address", "254");
  assert_rejected (md_validate_email, NULL, "email address", NULL);
}

static void
test_email_good (void)
{
  static const char *good[] = {
    "name@example.com",
    "Name.Surname@Example.COM",
    "first.last+tag@mail.example.co.uk",
    "o'brien@example.com",
    "name@bücher.example",
    "用户@例子.广告",
    "\"john doe\"@example.com",
    "\"a@b\"@example.com",
    "\"quote\\\"inside\"@example.com",
    "name@[192.0.2.1]",
    "name@[IPv6:2001:db8::1]",
    "x@a-b.example",
  };
  g_autofree char *local = repeat ('a', 64);
  g_autofree char *max_local = g_strconcat (local, "@example.com", NULL);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (good); i++)
    assert_accepted (md_validate_email, good[i]);

  assert_accepted (md_validate_email, max_local);
}

static void
test_host_bad (void)
{
  static const BadInput cases[] = {
    { "", "like smtp.example.com" },
    { "smtp://smtp.example.com", "without smtp://" },
    { "smtps://smtp.example.com:465/", "without smtps://" },
    { "smtp .example.com", "spaces" },
    { " smtp.example.com", "spaces" },
    { "smtp.example.com\n", "hidden character" },
    { "smtp.example.com:587", "Port box" },
    { "[::1]:587", "Port box" },
    { "smtp.example.com/mail", "/" },
    { "name@example.com", "email address" },
    { "smtp_server.example.com", "“_”" },
    { "smtp!.example.com", "“!”" },
    { "smtp.example.com:abc", "“:”" },
    { "-smtp.example.com", "hyphen" },
    { "smtp-.example.com", "hyphen" },
    { "smtp..example.com", "two dots" },
    { ".example.com", "start with a dot" },
    { "smtp.example.com..", "two dots" },
    { "256.1.1.1", "IP address" },
    { "127.1", "IP address" },
    { "1.2.3.4.5", "IP address" },
    { "[::zz]", "square brackets" },
    { "[::1", "doesn’t end with ]" },
    { "[::1]x", "after the ]" },
    { "2001:db8::zz", "IPv6" },
    { "smtp.a\xe2\x80\x8f" "b.example", "letters" },
  };

  assert_all_rejected (md_validate_host, cases, G_N_ELEMENTS (cases), "server");
}

static void
test_host_bad_lengths (void)
{
  g_autofree char *label64 = repeat ('a', 64);
  g_autofree char *long_label = g_strconcat ("smtp.", label64, ".example", NULL);
  g_autofree char *label63 = repeat ('b', 63);
  g_autofree char *long_host = g_strjoin (".", label63, label63, label63, label63, NULL);

  assert_rejected (md_validate_host, long_label, "server", "63");
  g_assert_cmpuint (strlen (long_host), ==, 255);
  assert_rejected (md_validate_host, long_host, "server", "too long");
  assert_rejected (md_validate_host, NULL, "server", NULL);
}

static void
test_host_good (void)
{
  static const char *good[] = {
    "smtp.example.com",
    "SMTP.Example.COM",
    "smtp.example.com.",
    "smtp.bücher.example",
    "xn--bcher-kva.example",
    "mail",
    "a-b.example",
    "1e100.net",
    "127.0.0.1",
    "192.0.2.25",
    "::1",
    "[::1]",
    "2001:db8::25",
    "[2001:db8::25]",
    "::ffff:192.0.2.1",
  };
  g_autofree char *label = repeat ('c', 63);
  g_autofree char *max_label = g_strconcat (label, ".example.com", NULL);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (good); i++)
    assert_accepted (md_validate_host, good[i]);

  assert_accepted (md_validate_host, max_label);
}

static void
test_port (void)
{
  static const BadInput cases[] = {
    { "", "Type a port number" },
    { "0", "1 to 65535" },
    { "-1", "1 to 65535" },
    { "+587", "1 to 65535" },
    { "abc", "1 to 65535" },
    { "587a", "1 to 65535" },
    { "5.87", "1 to 65535" },
    { "65536", "1 to 65535" },
    { "99999", "1 to 65535" },
    { "99999999999999999999999", "1 to 65535" },
    { " 587", "spaces" },
    { "587 ", "spaces" },
    /* Found by tests/fuzz/fuzz-account: a lone UTF-8 lead byte at the end
     * made the search for spaces read past the NUL (seen under ASan). */
    { "\xca", "1 to 65535" },
    { "58\xca", "1 to 65535" },
    { " 5\xca", "spaces" },
  };
  static const struct { const char *text; guint port; } good[] = {
    { "1", 1 }, { "25", 25 }, { "465", 465 }, { "587", 587 }, { "0587", 587 },
    { "65535", 65535 },
  };
  gsize i;

  assert_all_rejected (validate_port, cases, G_N_ELEMENTS (cases), "port");
  assert_rejected (validate_port, NULL, "port", NULL);

  for (i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      guint port = 0;

      g_assert_true (md_validate_port_string (good[i].text, &port, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (port, ==, good[i].port);
    }

  /* The out parameter is optional. */
  g_assert_true (md_validate_port_string ("2525", NULL, NULL));
}

static void
test_client_ip (void)
{
  static const BadInput cases[] = {
    { "", "Type an IP address" },
    { "999.1.1.1", "isn’t valid" },
    { "1.2.3", "isn’t valid" },
    { "::zz", "isn’t valid" },
    { "mail.example.com", "not a name" },
    { "[::1]", "square brackets" },
    { "192.0.2.1 ", "spaces" },
    { "192.0.2.1\n", "hidden character" },
  };
  static const char *good[] = { "192.0.2.1", "127.0.0.1", "::1", "2001:db8::1" };
  gsize i;

  assert_all_rejected (md_validate_client_ip, cases, G_N_ELEMENTS (cases), "IP address");

  for (i = 0; i < G_N_ELEMENTS (good); i++)
    assert_accepted (md_validate_client_ip, good[i]);
}

static void
assert_account_invalid (MdAccount  *account,
                        const char *mentions)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (md_account_validate (account, &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_INVALID_INPUT);
  assert_plain_message (error->message);
  g_assert_nonnull (strstr (error->message, mentions));
}

static void
assert_account_valid (MdAccount *account)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (md_account_validate (account, &error));
  g_assert_no_error (error);
}

static void
test_account_validate (void)
{
  g_autoptr(MdAccount) account = md_account_new ();

  assert_account_invalid (account, "email address");

  /* Either an email (the server is then discovered) or a server will do. */
  md_account_set_email (account, "name@example.com");
  assert_account_valid (account);
  md_account_set_email (account, NULL);
  md_account_set_host (account, "smtp.example.com");
  assert_account_valid (account);

  /* The first box the user filled wrongly is the one reported. */
  md_account_set_email (account, "name");
  md_account_set_host (account, "smtp://smtp.example.com");
  assert_account_invalid (account, "full address");
  md_account_set_email (account, "name@example.com");
  assert_account_invalid (account, "smtp://");
  md_account_set_host (account, "smtp.example.com");

  md_account_set_client_ip (account, "not an ip");
  assert_account_invalid (account, "IP address");
  md_account_set_client_ip (account, "192.0.2.1");
  assert_account_valid (account);
  md_account_set_client_ip (account, "");
  assert_account_valid (account);
}

/* A self-signed Ed25519 CA certificate (certtool, valid until 2126). */
static const char test_ca_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBQTCB9KADAgECAhRteq23lFS0O4AHr4gHWYTmQnYChTAFBgMrZXAwHjEcMBoG\n"
  "A1UEAxMTTWFpbCBEb2N0b3IgdGVzdCBDQTAgFw0yNjEyMDYyMTUwMjlaGA8yMTI2\n"
  "MTExMjIxNTAyOVowHjEcMBoGA1UEAxMTTWFpbCBEb2N0b3IgdGVzdCBDQTAqMAUG\n"
  "AytlcAMhAEQDCpy50H4DxzkmytPxSkXbHSn8iyM2yV3eInYRnv+Ko0IwQDAPBgNV\n"
  "HRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwICBDAdBgNVHQ4EFgQUaRCYIiOR0dnt\n"
  "gC9Onhz5oTOZEIwwBQYDK2VwA0EApLwe4pWfPQKltB1IHAXPpeTs4d/l+gZKAlTA\n"
  "+2phveMwh7VXfONWYsRRJZWMR7OQwRNvZIafuaGoac0+AaTgDw==\n"
  "-----END CERTIFICATE-----\n";

static void
test_account_validate_ca_file (void)
{
  g_autoptr(MdAccount) account = md_account_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd;

  md_account_set_email (account, "name@example.com");

  fd = g_file_open_tmp ("md-test-ca-XXXXXX.pem", &path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);

  /* An empty file, or anything without a certificate, would make every
   * server look untrusted. */
  md_account_set_ca_file (account, path);
  assert_account_invalid (account, "holds no certificate");
  g_assert_true (g_file_set_contents (path, "-----BEGIN PRIVATE KEY-----\nMC4=\n"
                                      "-----END PRIVATE KEY-----\n", -1, NULL));
  assert_account_invalid (account, "holds no certificate");

  g_assert_true (g_file_set_contents (path, test_ca_pem, -1, NULL));
  assert_account_valid (account);

  g_assert_cmpint (g_unlink (path), ==, 0);
  assert_account_invalid (account, "certificate file");

  md_account_set_ca_file (account, g_get_tmp_dir ());
  assert_account_invalid (account, "folder");
}

static void
test_effective_port_security (void)
{
  static const struct {
    MdSecurity security;
    guint      port;
    guint      effective_port;
    MdSecurity effective_security;
  } cases[] = {
    { MD_SECURITY_AUTO,     0,    587, MD_SECURITY_AUTO },
    { MD_SECURITY_STARTTLS, 0,    587, MD_SECURITY_STARTTLS },
    { MD_SECURITY_NONE,     0,    587, MD_SECURITY_NONE },
    { MD_SECURITY_TLS,      0,    465, MD_SECURITY_TLS },
    { MD_SECURITY_AUTO,     465,  465, MD_SECURITY_TLS },
    { MD_SECURITY_AUTO,     25,   25,  MD_SECURITY_AUTO },
    { MD_SECURITY_AUTO,     2525, 2525, MD_SECURITY_AUTO },
    { MD_SECURITY_STARTTLS, 465,  465, MD_SECURITY_STARTTLS },
    { MD_SECURITY_NONE,     465,  465, MD_SECURITY_NONE },
    { MD_SECURITY_TLS,      587,  587, MD_SECURITY_TLS },
  };
  g_autoptr(MdAccount) account = md_account_new ();
  gsize i;

  g_assert_cmpint (md_account_get_security (account), ==, MD_SECURITY_AUTO);
  g_assert_cmpuint (md_account_get_port (account), ==, 0);

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      md_account_set_security (account, cases[i].security);
      md_account_set_port (account, cases[i].port);
      g_assert_cmpuint (md_account_get_effective_port (account), ==, cases[i].effective_port);
      g_assert_cmpint (md_account_get_effective_security (account), ==,
                       cases[i].effective_security);
    }
}

static void
test_effective_username (void)
{
  g_autoptr(MdAccount) account = md_account_new ();

  g_assert_null (md_account_get_effective_username (account));

  md_account_set_email (account, "name@example.com");
  g_assert_cmpstr (md_account_get_effective_username (account), ==, "name@example.com");

  md_account_set_username (account, "");
  g_assert_cmpstr (md_account_get_effective_username (account), ==, "name@example.com");

  md_account_set_username (account, "login");
  g_assert_cmpstr (md_account_get_effective_username (account), ==, "login");

  md_account_set_username (account, NULL);
  g_assert_cmpstr (md_account_get_effective_username (account), ==, "name@example.com");
}

static void
test_host_ascii (void)
{
  static const struct { const char *host; const char *ascii; } cases[] = {
    { "smtp.example.com", "smtp.example.com" },
    { "SMTP.Example.COM.", "smtp.example.com" },
    { "smtp.bücher.example", "smtp.xn--bcher-kva.example" },
    { "SMTP.BÜCHER.example.", "smtp.xn--bcher-kva.example" },
    { "[::1]", "::1" },
    { "::1", "::1" },
    { "[2001:DB8::25]", "2001:db8::25" },
    { "127.0.0.1", "127.0.0.1" },
    /* Found by tests/fuzz/fuzz-account: broken UTF-8 must not come back as
     * an "ASCII" name, nor make GLib read past its end (under ASan). */
    { "'\x80", NULL },
    { "smtp.example\x80", NULL },
    { "b\xc3\xbc" "cher.example\xf8\x91\x9e\x92" "e@b\xc3\xbc" "c\xca", NULL },
  };
  g_autoptr(MdAccount) account = md_account_new ();
  gsize i;

  g_assert_null (md_account_dup_host_ascii (account));
  md_account_set_host (account, "");
  g_assert_null (md_account_dup_host_ascii (account));

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ascii = NULL;

      md_account_set_host (account, cases[i].host);
      ascii = md_account_dup_host_ascii (account);
      g_assert_cmpstr (ascii, ==, cases[i].ascii);
    }
}

static void
test_security_strings (void)
{
  static const struct { const char *text; MdSecurity security; } cases[] = {
    { "auto", MD_SECURITY_AUTO },
    { "none", MD_SECURITY_NONE },
    { "starttls", MD_SECURITY_STARTTLS },
    { "tls", MD_SECURITY_TLS },
  };
  MdSecurity security = MD_SECURITY_NONE;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (md_security_from_string (cases[i].text, &security));
      g_assert_cmpint (security, ==, cases[i].security);
      g_assert_cmpstr (md_security_to_string (cases[i].security), ==, cases[i].text);
    }

  security = MD_SECURITY_NONE;
  g_assert_false (md_security_from_string ("ssl", &security));
  g_assert_false (md_security_from_string ("", &security));
  g_assert_false (md_security_from_string (NULL, &security));
  g_assert_cmpint (security, ==, MD_SECURITY_NONE);
}

static void
test_password (void)
{
  g_autoptr(MdAccount) account = md_account_new ();
  char typed[] = "correct horse";
  const char *peeked;

  g_assert_false (md_account_has_password (account));
  g_assert_null (md_account_peek_password (account));

  /* The account keeps its own copy: the caller may wipe what it typed. */
  md_account_set_password (account, typed);
  md_wipe_str (typed);
  peeked = md_account_peek_password (account);
  g_assert_true (md_account_has_password (account));
  g_assert_cmpstr (peeked, ==, "correct horse");
  g_assert_true (peeked != typed);

  /* Handing back the borrowed pointer must not lose it. */
  md_account_set_password (account, peeked);
  g_assert_cmpstr (md_account_peek_password (account), ==, "correct horse");

  md_account_set_password (account, "battery staple");
  g_assert_cmpstr (md_account_peek_password (account), ==, "battery staple");

  md_account_clear_password (account);
  g_assert_false (md_account_has_password (account));
  g_assert_null (md_account_peek_password (account));

  md_account_set_password (account, "again");
  md_account_set_password (account, NULL);
  g_assert_false (md_account_has_password (account));
  md_account_set_password (account, "");
  g_assert_false (md_account_has_password (account));

  /* Finalize wipes a password still set; MALLOC_CHECK_ catches misuse. */
  md_account_set_password (account, "left behind");
}

static void
test_password_not_a_property (void)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (MD_TYPE_ACCOUNT);
  guint n_props = 0;
  g_autofree GParamSpec **pspecs =
    g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_props);
  guint i;

  g_assert_cmpuint (n_props, ==, 10);
  for (i = 0; i < n_props; i++)
    g_assert_null (strstr (pspecs[i]->name, "password"));
}

/* The wipe helpers the account relies on, checked on memory the test owns:
 * reading the account's buffer after it is freed would be a bug itself. */
static void
test_wipe_helpers (void)
{
  char secret[] = "hunter2";
  char bytes[] = { 's', 'e', 'c', 'r', 'e', 't' };
  gsize i;

  md_wipe_str (secret);
  for (i = 0; i < sizeof secret; i++)
    g_assert_cmpint (secret[i], ==, 0);

  md_wipe (bytes, sizeof bytes);
  for (i = 0; i < sizeof bytes; i++)
    g_assert_cmpint (bytes[i], ==, 0);

  md_wipe (NULL, 4);
  md_wipe_str (NULL);
  md_secret_free (NULL);
  md_secret_free (g_strdup ("gone"));
}

typedef struct
{
  guint count;
} NotifyCounter;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  NotifyCounter *counter = user_data;

  counter->count++;
}

static gulong
watch_property (MdAccount     *account,
                const char    *name,
                NotifyCounter *counter)
{
  g_autofree char *signal = g_strconcat ("notify::", name, NULL);

  counter->count = 0;
  return g_signal_connect (account, signal, G_CALLBACK (on_notify), counter);
}

static void
test_notify_strings (void)
{
  static const char *names[] = {
    "email", "host", "username", "client-ip", "error-text", "ca-file",
  };
  g_autoptr(MdAccount) account = md_account_new ();
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      NotifyCounter counter;
      gulong id = watch_property (account, names[i], &counter);
      g_autofree char *value = NULL;

      g_object_set (account, names[i], "a", NULL);
      g_assert_cmpuint (counter.count, ==, 1);
      g_object_set (account, names[i], "a", NULL);
      g_assert_cmpuint (counter.count, ==, 1);
      g_object_set (account, names[i], "b", NULL);
      g_assert_cmpuint (counter.count, ==, 2);
      g_object_get (account, names[i], &value, NULL);
      g_assert_cmpstr (value, ==, "b");
      g_object_set (account, names[i], NULL, NULL);
      g_assert_cmpuint (counter.count, ==, 3);
      g_object_set (account, names[i], NULL, NULL);
      g_assert_cmpuint (counter.count, ==, 3);

      g_signal_handler_disconnect (account, id);
    }
}

static void
test_notify_setters (void)
{
  g_autoptr(MdAccount) account = md_account_new ();
  NotifyCounter email, port, security, plaintext;
  guint value = 0;

  watch_property (account, "email", &email);
  watch_property (account, "port", &port);
  watch_property (account, "security", &security);
  watch_property (account, "allow-plaintext-auth", &plaintext);

  /* Strings are stored as given: spaces are for validation to report. */
  md_account_set_email (account, " name@example.com ");
  md_account_set_email (account, " name@example.com ");
  g_assert_cmpstr (md_account_get_email (account), ==, " name@example.com ");
  g_assert_cmpuint (email.count, ==, 1);

  md_account_set_port (account, 0);
  md_account_set_port (account, 587);
  md_account_set_port (account, 587);
  g_object_set (account, "port", 465, NULL);
  g_object_get (account, "port", &value, NULL);
  g_assert_cmpuint (value, ==, 465);
  g_assert_cmpuint (port.count, ==, 2);

  md_account_set_security (account, MD_SECURITY_AUTO);
  md_account_set_security (account, MD_SECURITY_TLS);
  md_account_set_security (account, MD_SECURITY_TLS);
  g_object_set (account, "security", MD_SECURITY_STARTTLS, NULL);
  g_assert_cmpint (md_account_get_security (account), ==, MD_SECURITY_STARTTLS);
  g_assert_cmpuint (security.count, ==, 2);

  md_account_set_allow_plaintext_auth (account, FALSE);
  md_account_set_allow_plaintext_auth (account, TRUE);
  md_account_set_allow_plaintext_auth (account, 2);
  g_assert_true (md_account_get_allow_plaintext_auth (account));
  g_assert_cmpuint (plaintext.count, ==, 1);

  /* The password is not observable through notify. */
  md_account_set_password (account, "secret");
  g_assert_cmpuint (email.count + port.count + security.count + plaintext.count, ==, 6);
}

static void
test_property_specs (void)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (MD_TYPE_ACCOUNT);
  guint n_props = 0;
  g_autofree GParamSpec **pspecs =
    g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_props);
  guint i;

  for (i = 0; i < n_props; i++)
    {
      g_assert_true (pspecs[i]->flags & G_PARAM_EXPLICIT_NOTIFY);
      g_assert_true (pspecs[i]->flags & G_PARAM_STATIC_STRINGS);
      /* GLib falls back to the name when the nick is NULL. */
      g_assert_cmpstr (g_param_spec_get_nick (pspecs[i]), ==, pspecs[i]->name);
      g_assert_null (g_param_spec_get_blurb (pspecs[i]));
    }
}

static void
test_finalize (void)
{
  MdAccount *account = md_account_new ();

  md_account_set_email (account, "name@example.com");
  md_account_set_password (account, "secret");
  g_assert_finalize_object (account);
}

/* The domain as DNS wants it, for discovery, SPF and the blocklists alike. */
static void
test_email_domain (void)
{
  static const struct { const char *email; const char *domain; } cases[] = {
    { "sam@example.org", "example.org" },
    { "Sam@Example.ORG.", "example.org" },
    { "sam@bücher.example", "xn--bcher-kva.example" },
    { "\"a@b\"@example.net", "example.net" },
    { "sam@", NULL },
    { "sam", NULL },
    { "sam@.", NULL },
    /* Found by tests/fuzz/fuzz-account: broken UTF-8, which GLib keeps as
     * it is, or reads past the end of (under ASan). */
    { "sam@example\x80", NULL },
    { "sam@\x80", NULL },
    { "name@b\xc3\xbc" "cher.example\xf8\x91\x9e\x92" "e@b\xc3\xbc" "c\xca", NULL },
    { NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *domain = md_email_dup_domain (cases[i].email);

      g_assert_cmpstr (domain, ==, cases[i].domain);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/md/core/account/email-bad", test_email_bad);
  g_test_add_func ("/md/core/account/email-bad-lengths", test_email_bad_lengths);
  g_test_add_func ("/md/core/account/email-good", test_email_good);
  g_test_add_func ("/md/core/account/email-domain", test_email_domain);
  g_test_add_func ("/md/core/account/host-bad", test_host_bad);
  g_test_add_func ("/md/core/account/host-bad-lengths", test_host_bad_lengths);
  g_test_add_func ("/md/core/account/host-good", test_host_good);
  g_test_add_func ("/md/core/account/port", test_port);
  g_test_add_func ("/md/core/account/client-ip", test_client_ip);
  g_test_add_func ("/md/core/account/validate", test_account_validate);
  g_test_add_func ("/md/core/account/validate-ca-file", test_account_validate_ca_file);
  g_test_add_func ("/md/core/account/effective-port-security", test_effective_port_security);
  g_test_add_func ("/md/core/account/effective-username", test_effective_username);
  g_test_add_func ("/md/core/account/host-ascii", test_host_ascii);
  g_test_add_func ("/md/core/account/security-strings", test_security_strings);
  g_test_add_func ("/md/core/account/password", test_password);
  g_test_add_func ("/md/core/account/password-not-a-property", test_password_not_a_property);
  g_test_add_func ("/md/core/account/wipe-helpers", test_wipe_helpers);
  g_test_add_func ("/md/core/account/notify-strings", test_notify_strings);
  g_test_add_func ("/md/core/account/notify-setters", test_notify_setters);
  g_test_add_func ("/md/core/account/property-specs", test_property_specs);
  g_test_add_func ("/md/core/account/finalize", test_finalize);

  return g_test_run ();
}
