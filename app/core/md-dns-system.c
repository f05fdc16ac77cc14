/* md-dns-system.c: the system resolver's lookups, on MdDns's own threads
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What GThreadedResolver does, in the calling thread. In GLib 2.74 even
 * its blocking calls run on GIO's shared pool of ten threads: a diagnosis
 * asks some thirty TXT questions at once (DKIM selectors, SPF, DMARC,
 * MTA-STS), which then queue in three waves of ten, and everything else
 * that needs that pool waits behind them: the TLS certificate check, the
 * TLS backend. MdDns runs these on its own pool instead. Answers are the
 * same GVariants GResolver gives ("(@as)" for TXT, "(qs)" for MX,
 * "(qqqs)" for SRV), and errors the same GResolverError codes, so that a
 * test resolver and the system one stay interchangeable.
 */

/* EAI_NODATA (a name without an address of the asked family) is a GNU
 * extension. */
#define _GNU_SOURCE

#include "md-config.h"

#include <arpa/nameser.h>
#include <netdb.h>
#include <resolv.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>

#include "md-dns-private.h"

/* A reply longer than this is asked again with a buffer its size. */
#define FIRST_ANSWER_SIZE 4096

/* getaddrinfo()'s and getnameinfo()'s failures as GResolver words them. */
static void
set_gai_error (int      status,
               GError **error)
{
  gboolean not_found = status == EAI_NONAME || status == EAI_NODATA;

  g_set_error (error, G_RESOLVER_ERROR,
               not_found ? G_RESOLVER_ERROR_NOT_FOUND : G_RESOLVER_ERROR_TEMPORARY_FAILURE,
               "%s", gai_strerror (status));
}

/**
 * _md_dns_system_lookup_addresses:
 * @ipv4_only: only IPv4 addresses (blocklist answers)
 *
 * Leaves out AI_ADDRCONFIG, with which glibc answers "not found" without
 * asking when the machine has no non-loopback IPv4 address: a blocklist's
 * answer is data to read, not an address to connect to.
 *
 * Returns: (transfer full) (element-type GInetAddress): the addresses
 */
GList *
_md_dns_system_lookup_addresses (const char  *name,
                                 gboolean     ipv4_only,
                                 GError     **error)
{
  struct addrinfo hints = { 0, };
  struct addrinfo *list = NULL;
  GList *addresses = NULL;
  int status;

  hints.ai_family = ipv4_only ? AF_INET : AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;

  status = getaddrinfo (name, NULL, &hints, &list);
  if (status != 0)
    {
      set_gai_error (status, error);
      return NULL;
    }

  for (struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next)
    {
      g_autoptr(GSocketAddress) address =
        g_socket_address_new_from_native (ai->ai_addr, ai->ai_addrlen);

      if (G_IS_INET_SOCKET_ADDRESS (address))
        addresses = g_list_prepend (addresses,
                                    g_object_ref (g_inet_socket_address_get_address (
                                                    G_INET_SOCKET_ADDRESS (address))));
    }

  freeaddrinfo (list);
  return g_list_reverse (addresses);
}

/**
 * _md_dns_system_lookup_name:
 *
 * The name an address points back to (PTR), as GThreadedResolver asks for
 * it: getnameinfo() with NI_NAMEREQD.
 *
 * Returns: (transfer full): the name
 */
char *
_md_dns_system_lookup_name (GInetAddress  *address,
                            GError       **error)
{
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, 0);
  struct sockaddr_storage native;
  char name[NI_MAXHOST];
  int status;

  if (!g_socket_address_to_native (socket_address, &native, sizeof native, error))
    return NULL;

  status = getnameinfo ((struct sockaddr *) &native,
                        g_socket_address_get_native_size (socket_address),
                        name, sizeof name, NULL, 0, NI_NAMEREQD);
  if (status != 0)
    {
      set_gai_error (status, error);
      return NULL;
    }

  return g_strdup (name);
}

/* One record's data as GResolver gives it; NULL when it does not parse. */
static GVariant *
parse_record (const ns_msg *msg,
              const ns_rr  *rr,
              int           rrtype)
{
  const guchar *data = ns_rr_rdata (*rr);
  const guchar *end = data + ns_rr_rdlen (*rr);
  char name[NS_MAXDNAME];

  switch (rrtype)
    {
    case ns_t_txt:
      {
        g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);

        /* Character strings, each behind its length byte. */
        while (data < end)
          {
            guint length = *data++;

            if (length > (gsize) (end - data))
              return NULL;
            g_ptr_array_add (strings, g_strndup ((const char *) data, length));
            data += length;
          }
        g_ptr_array_add (strings, NULL);
        return g_variant_new ("(@as)",
                              g_variant_new_strv ((const char * const *) strings->pdata, -1));
      }

    case ns_t_mx:
      if (end - data < 3 ||
          dn_expand (ns_msg_base (*msg), ns_msg_end (*msg), data + 2, name, sizeof name) < 0)
        return NULL;
      return g_variant_new ("(qs)", ns_get16 (data), name);

    case ns_t_srv:
      if (end - data < 7 ||
          dn_expand (ns_msg_base (*msg), ns_msg_end (*msg), data + 6, name, sizeof name) < 0)
        return NULL;
      return g_variant_new ("(qqqs)", ns_get16 (data), ns_get16 (data + 2), ns_get16 (data + 4),
                            name);

    default:
      return NULL;
    }
}

/* The records of @rrtype in a reply; the error GThreadedResolver would
 * give for one without any. */
static GList *
parse_answer (const char    *name,
              const guchar  *answer,
              int            length,
              int            rrtype,
              GError       **error)
{
  GList *records = NULL;
  ns_msg msg;

  if (ns_initparse (answer, length, &msg) < 0)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                   _("Incomplete data received for “%s”"), name);
      return NULL;
    }

  for (int i = 0; i < ns_msg_count (msg, ns_s_an); i++)
    {
      GVariant *record;
      ns_rr rr;

      if (ns_parserr (&msg, ns_s_an, i, &rr) < 0)
        break;
      if ((int) ns_rr_type (rr) != rrtype || ns_rr_class (rr) != ns_c_in)
        continue;
      if ((record = parse_record (&msg, &rr, rrtype)) != NULL)
        records = g_list_prepend (records, g_variant_ref_sink (record));
    }

  if (records == NULL)
    g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                 _("No DNS record of the requested type for “%s”"), name);

  return g_list_reverse (records);
}

static int
ns_type_of (GResolverRecordType type)
{
  switch (type)
    {
    case G_RESOLVER_RECORD_MX:
      return ns_t_mx;
    case G_RESOLVER_RECORD_SRV:
      return ns_t_srv;
    case G_RESOLVER_RECORD_TXT:
    case G_RESOLVER_RECORD_SOA:
    case G_RESOLVER_RECORD_NS:
    default:
      return ns_t_txt;
    }
}

/**
 * _md_dns_system_lookup_records:
 * @type: MX, SRV or TXT
 *
 * Returns: (transfer full) (element-type GVariant): the records, as
 *   g_resolver_lookup_records() gives them
 */
GList *
_md_dns_system_lookup_records (const char           *name,
                               GResolverRecordType   type,
                               GError              **error)
{
  struct __res_state state = { 0, };
  g_autofree guchar *answer = NULL;
  int rrtype = ns_type_of (type);
  int size = FIRST_ANSWER_SIZE;
  int length;
  int herr;

  /* Per call, as GLib does: the state is the thread's own, and a changed
   * resolv.conf is read again. */
  if (res_ninit (&state) != 0)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_INTERNAL,
                   _("Error resolving “%s”"), name);
      return NULL;
    }

  for (;;)
    {
      answer = g_realloc (answer, size);
      length = res_nquery (&state, name, ns_c_in, rrtype, answer, size);
      if (length < size)
        break;
      /* Truncated to the buffer: the full length is known now. */
      size = length + 1;
    }
  herr = state.res_h_errno;
  res_nclose (&state);

  if (length <= 0)
    {
      if (length == 0 || herr == HOST_NOT_FOUND || herr == NO_DATA)
        g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                     _("No DNS record of the requested type for “%s”"), name);
      else if (herr == TRY_AGAIN)
        g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                     _("Temporarily unable to resolve “%s”"), name);
      else
        g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_INTERNAL,
                     _("Error resolving “%s”"), name);
      return NULL;
    }

  return parse_answer (name, answer, length, rrtype, error);
}
