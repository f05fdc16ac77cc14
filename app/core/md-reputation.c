/* md-reputation.c: reading what the mail server says about the sender
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pure parts of the reputation probe (md-probe-reputation.c): no I/O,
 * so that they can be tested without a network.
 */

#include "md-config.h"

#include <string.h>

#include "md-reputation.h"

/* Ranges that never send mail on the internet. The documentation ranges
 * (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32) are
 * not among them on purpose, so that tests can stand in for public
 * addresses with them; no real connection comes from them. */
static const struct
{
  guint8 prefix[4];
  guint  bits;
} ipv4_not_public[] = {
  { { 0, 0, 0, 0 }, 8 },      /* "this network" */
  { { 10, 0, 0, 0 }, 8 },     /* private (RFC 1918) */
  { { 100, 64, 0, 0 }, 10 },  /* carrier-grade NAT (RFC 6598) */
  { { 127, 0, 0, 0 }, 8 },    /* loopback */
  { { 169, 254, 0, 0 }, 16 }, /* link-local */
  { { 172, 16, 0, 0 }, 12 },  /* private */
  { { 192, 0, 0, 0 }, 24 },   /* IETF protocol assignments */
  { { 192, 168, 0, 0 }, 16 }, /* private */
  { { 198, 18, 0, 0 }, 15 },  /* benchmarking */
  { { 224, 0, 0, 0 }, 3 },    /* multicast, reserved and broadcast */
};

static guint32
ipv4_to_uint (const guint8 *bytes)
{
  return (guint32)bytes[0] << 24 | (guint32)bytes[1] << 16 | (guint32)bytes[2] << 8 | bytes[3];
}

static gboolean
ipv4_is_public (const guint8 *bytes)
{
  guint32 ip = ipv4_to_uint (bytes);

  for (guint i = 0; i < G_N_ELEMENTS (ipv4_not_public); i++)
    {
      guint32 mask = G_MAXUINT32 << (32 - ipv4_not_public[i].bits);

      if ((ip & mask) == ipv4_to_uint (ipv4_not_public[i].prefix))
        return FALSE;
    }

  return TRUE;
}

/**
 * md_reputation_address_is_public:
 *
 * Returns: whether @address can be seen as a sender on the internet: not
 *   private, loopback, link-local, carrier-grade NAT, multicast or reserved
 */
gboolean
md_reputation_address_is_public (GInetAddress *address)
{
  const guint8 *bytes;

  g_return_val_if_fail (G_IS_INET_ADDRESS (address), FALSE);

  bytes = g_inet_address_to_bytes (address);
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    /* Global unicast, 2000::/3, is all that is routed today. */
    return (bytes[0] & 0xe0) == 0x20;

  return ipv4_is_public (bytes);
}

static GInetAddress *
word_to_address (char *word)
{
  gsize len;

  /* Postfix writes "[IPv6:2001:db8::1]" (RFC 5321 §4.1.3). */
  if (g_ascii_strncasecmp (word, "IPv6:", 5) == 0)
    word += 5;

  /* A sentence may end right after the address. */
  len = strlen (word);
  while (len > 0 && word[len - 1] == '.')
    word[--len] = '\0';

  return g_inet_address_new_from_string (word);
}

static gboolean
address_in_list (GList        *addresses,
                 GInetAddress *address)
{
  for (GList *l = addresses; l != NULL; l = l->next)
    if (g_inet_address_equal (l->data, address))
      return TRUE;

  return FALSE;
}

/**
 * md_reputation_find_client_ip:
 * @server_text: (nullable): a greeting or EHLO reply's text
 * @exclude: (element-type GInetAddress): addresses that are not the client's
 *   (the server's own)
 *
 * Many servers name the client's address when they greet it: Postfix
 * "Hello [203.0.113.5]", Gmail "at your service, [203.0.113.5]", Sendmail
 * "Hello host [203.0.113.5], pleased to meet you".
 *
 * Returns: (transfer full) (nullable): the first public address in the text
 */
GInetAddress *
md_reputation_find_client_ip (const char *server_text,
                              GList      *exclude)
{
  g_auto(GStrv) words = NULL;

  if (server_text == NULL)
    return NULL;

  words = g_strsplit_set (server_text, " \t\r\n[](),;<>\"'=", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) address = word_to_address (words[i]);

      if (address != NULL && md_reputation_address_is_public (address) &&
          !address_in_list (exclude, address))
        return g_steal_pointer (&address);
    }

  return NULL;
}

/* Greetings often start with something else: "ESMTP", "Welcome", an address. */
static gboolean
looks_like_host_name (const char *word)
{
  if (strchr (word, '.') == NULL || g_hostname_is_ip_address (word))
    return FALSE;

  for (const char *c = word; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '.' && *c != '_')
      return FALSE;

  return TRUE;
}

/**
 * md_reputation_greeting_host:
 * @greeting_text: (nullable): the greeting's text, with or without its code
 *
 * Returns: (transfer full) (nullable): the host name the server greets with
 *   ("220 mx.example.com ESMTP" gives "mx.example.com"), in lower case
 */
char *
md_reputation_greeting_host (const char *greeting_text)
{
  const char *p = greeting_text;
  g_autofree char *word = NULL;
  gsize len;

  if (p == NULL)
    return NULL;

  if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) &&
      (p[3] == ' ' || p[3] == '-'))
    p += 4;

  p += strspn (p, " \t");
  len = strcspn (p, " \t\r\n");
  word = g_ascii_strdown (p, len);
  while (len > 0 && word[len - 1] == '.')
    word[--len] = '\0';

  return looks_like_host_name (word) ? g_steal_pointer (&word) : NULL;
}
