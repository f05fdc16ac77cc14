/* md-kb.c: the knowledge base, JSON data in the core's GResource
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The object and its lookups; reading and checking the JSON is in
 * md-kb-load.c.
 */

#include "md-config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "md-core-resources.h"
#include "md-kb-private.h"

G_DEFINE_FINAL_TYPE (MdKb, md_kb, G_TYPE_OBJECT)

void
_md_kb_dnsbl_free (MdDnsbl *dnsbl)
{
  g_free (dnsbl->zone);
  g_free (dnsbl->name);
  g_free (dnsbl->delist_url);
  g_free (dnsbl->policy);
  g_free (dnsbl);
}

void
_md_kb_provider_free (MdProvider *provider)
{
  g_free (provider->id);
  g_free (provider->app_password_url);
  g_free (provider->name);
  g_strfreev (provider->domains);
  g_strfreev (provider->mx_suffixes);
  g_free (provider->host);
  g_free (provider->notes);
  g_free (provider->source);
  g_free (provider);
}

static void
md_kb_finalize (GObject *object)
{
  MdKb *self = (MdKb *)object;

  /* The tables borrow keys and values from the arrays: they go first. */
  g_clear_pointer (&self->rules, g_hash_table_unref);
  g_clear_pointer (&self->by_domain, g_hash_table_unref);
  g_clear_pointer (&self->by_mx, g_hash_table_unref);
  g_clear_pointer (&self->dnsbls, g_ptr_array_unref);
  g_clear_pointer (&self->providers, g_ptr_array_unref);

  G_OBJECT_CLASS (md_kb_parent_class)->finalize (object);
}

static void
md_kb_class_init (MdKbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = md_kb_finalize;
}

static void
md_kb_init (MdKb *self)
{
  self->dnsbls = g_ptr_array_new_with_free_func ((GDestroyNotify)_md_kb_dnsbl_free);
  self->rules = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify)g_array_unref);
  self->providers = g_ptr_array_new_with_free_func ((GDestroyNotify)_md_kb_provider_free);
  self->by_domain = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->by_mx = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Shared with md-kb-load.c (md-kb-private.h) */

/* Host names as the tables keep them: ASCII (IDNA) form, lower case,
 * without the final dot. NULL when @name cannot be one. */
char *
_md_kb_normalize_host (const char *name)
{
  g_autofree char *trimmed = g_strdup (name);
  g_autofree char *ascii = NULL;
  gsize len = strlen (trimmed);

  if (len > 0 && trimmed[len - 1] == '.')
    trimmed[len - 1] = '\0';
  if (*trimmed == '\0')
    return NULL;

  ascii = g_hostname_to_ascii (trimmed);
  if (ascii == NULL)
    return NULL;

  return g_ascii_strdown (ascii, -1);
}

gboolean
_md_kb_parse_ipv4 (const char *text,
                   guint32    *out)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (text);
  const guint8 *bytes;

  if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV4)
    return FALSE;

  bytes = g_inet_address_to_bytes (address);
  *out = (guint32)bytes[0] << 24 | (guint32)bytes[1] << 16 | (guint32)bytes[2] << 8 | bytes[3];

  return TRUE;
}

gboolean
_md_kb_in_loopback_net (guint32 address)
{
  return address >> 24 == 127;
}

/**
 * md_kb_new_from_bytes:
 * @dnsbls: the contents of a dnsbls.json
 * @providers: the contents of a providers.json
 *
 * Loads a knowledge base from data in memory, checking its shape: a
 * broken file is a %G_IO_ERROR_INVALID_DATA error naming the file and the
 * entry. md_kb_new() loads the built-in data; this is for tests and tools.
 *
 * Returns: (transfer full): the knowledge base, or %NULL with @error set
 */
MdKb *
md_kb_new_from_bytes (GBytes  *dnsbls,
                      GBytes  *providers,
                      GError **error)
{
  g_autoptr(MdKb) self = NULL;

  g_return_val_if_fail (dnsbls != NULL, NULL);
  g_return_val_if_fail (providers != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (MD_TYPE_KB, NULL);

  if (!_md_kb_load (self, dnsbls, providers, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * md_kb_new:
 *
 * Loads the knowledge base compiled into the core's resource.
 *
 * Returns: (transfer full): the knowledge base, or %NULL with @error set
 *   when the built-in data is broken
 */
MdKb *
md_kb_new (GError **error)
{
  g_autoptr(GBytes) dnsbls = NULL;
  g_autoptr(GBytes) providers = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Naming the resource here also keeps its object file, and so its
   * registration, in every program that links the static core. */
  dnsbls = g_resource_lookup_data (md_core_get_resource (),
                                   MD_KB_RESOURCE_PATH "/" MD_KB_DNSBLS_FILE,
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (dnsbls == NULL)
    return NULL;

  providers = g_resource_lookup_data (md_core_get_resource (),
                                      MD_KB_RESOURCE_PATH "/" MD_KB_PROVIDERS_FILE,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (providers == NULL)
    return NULL;

  return md_kb_new_from_bytes (dnsbls, providers, error);
}

/**
 * md_kb_get_dnsbls:
 *
 * Returns: (transfer none) (element-type MdDnsbl): the blocklists, in the
 *   order of the data
 */
GPtrArray *
md_kb_get_dnsbls (MdKb *self)
{
  g_return_val_if_fail (MD_IS_KB (self), NULL);

  return self->dnsbls;
}

static const MdKbRule *
find_rule (GArray  *rules,
           guint32  address)
{
  const MdKbRule *best = NULL;

  for (guint i = 0; rules != NULL && i < rules->len; i++)
    {
      const MdKbRule *rule = &g_array_index (rules, MdKbRule, i);

      if (address < rule->first || address > rule->last)
        continue;

      /* An in-band error is never a listing, whatever else matches. */
      if (rule->kind == MD_DNSBL_ANSWER_ERROR)
        return rule;

      /* Otherwise the narrowest rule wins, so that a zone's "any other
       * code" block does not hide its exact codes. */
      if (best == NULL || rule->last - rule->first < best->last - best->first)
        best = rule;
    }

  return best;
}

/**
 * md_kb_read_dnsbl_answer:
 * @dnsbl: a blocklist of @self
 * @address: the A record the blocklist answered, as text
 * @meaning: (out) (optional) (transfer none): plain words for the user
 *
 * Reads one answer by the zone's own codes. An in-band error code wins
 * over any listing, and an answer outside 127.0.0.0/8 is always
 * %MD_DNSBL_ANSWER_ERROR: it is never a listing.
 *
 * Returns: how the answer reads
 */
MdDnsblAnswer
md_kb_read_dnsbl_answer (MdKb           *self,
                         const MdDnsbl  *dnsbl,
                         const char     *address,
                         const char    **meaning)
{
  MdDnsblAnswer answer;
  const MdKbRule *rule = NULL;
  const char *words;
  guint32 value = 0;

  g_return_val_if_fail (MD_IS_KB (self), MD_DNSBL_ANSWER_UNKNOWN);
  g_return_val_if_fail (dnsbl != NULL, MD_DNSBL_ANSWER_UNKNOWN);
  g_return_val_if_fail (address != NULL, MD_DNSBL_ANSWER_UNKNOWN);

  /* RFC 5782 keeps answers inside 127.0.0.0/8. Anything else is not a
   * blocklist code: typically a DNS service that makes up addresses for
   * names that do not exist. */
  if (_md_kb_parse_ipv4 (address, &value) && _md_kb_in_loopback_net (value))
    rule = find_rule (g_hash_table_lookup (self->rules, dnsbl->zone), value);

  if (rule != NULL)
    {
      answer = rule->kind;
      words = rule->meaning;
    }
  else if (_md_kb_in_loopback_net (value))
    {
      answer = MD_DNSBL_ANSWER_UNKNOWN;
      words = _("The blocklist gave an answer this app does not know, so it cannot "
                "say what the answer means.");
    }
  else
    {
      answer = MD_DNSBL_ANSWER_ERROR;
      words = _("The blocklist gave an unexpected answer that is not a blocklist code. "
                "Your DNS service may be making up answers. This is not a listing.");
    }

  if (meaning != NULL)
    *meaning = words;

  return answer;
}

/**
 * md_kb_get_providers:
 *
 * Returns: (transfer none) (element-type MdProvider): the providers, in
 *   the order of the data
 */
GPtrArray *
md_kb_get_providers (MdKb *self)
{
  g_return_val_if_fail (MD_IS_KB (self), NULL);

  return self->providers;
}

/**
 * md_kb_find_provider_by_domain:
 * @domain: an email domain, in Unicode or ASCII form, any case
 *
 * Returns: (nullable) (transfer none): the provider whose addresses end
 *   in exactly @domain
 */
const MdProvider *
md_kb_find_provider_by_domain (MdKb       *self,
                               const char *domain)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (MD_IS_KB (self), NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  key = _md_kb_normalize_host (domain);

  return key != NULL ? g_hash_table_lookup (self->by_domain, key) : NULL;
}

static const char *
next_label (const char *name)
{
  const char *dot = strchr (name, '.');

  return dot != NULL ? dot + 1 : NULL;
}

/**
 * md_kb_find_provider_by_mx:
 * @mx_host: the host name of one of a domain's MX records
 *
 * Recognises hosted mail: "aspmx.l.google.com" belongs to Google.
 * Suffixes match on label boundaries only, and the longest one wins.
 *
 * Returns: (nullable) (transfer none): the provider hosting the mail
 */
const MdProvider *
md_kb_find_provider_by_mx (MdKb       *self,
                           const char *mx_host)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (MD_IS_KB (self), NULL);
  g_return_val_if_fail (mx_host != NULL, NULL);

  host = _md_kb_normalize_host (mx_host);

  /* From the whole name down to its shortest suffix: "google.com" is
   * tried for "aspmx.l.google.com" but never matches "evilgoogle.com". */
  for (const char *p = host; p != NULL; p = next_label (p))
    {
      const MdProvider *provider = g_hash_table_lookup (self->by_mx, p);

      if (provider != NULL)
        return provider;
    }

  return NULL;
}
