/* md-kb-load.c: reading the knowledge base's JSON, and checking its shape
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The data is reviewed like code, and loading it refuses what a review
 * could miss: unknown members, wrong types, names not written tidily,
 * codes outside 127.0.0.0/8, a name two providers claim. The error names
 * the file and the entry.
 */

#include "md-config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "md-enums.h"
#include "md-data-private.h"
#include "md-kb-private.h"

#define KB_VERSION 1
#define KB_DAMAGED _("The built-in knowledge base is damaged")

typedef MdDataPlace Where;

typedef gboolean (*EntryFunc) (MdKb        *self,
                               JsonObject  *object,
                               Where       *where,
                               GError     **error);

static const char * const dnsbl_kind_nicks[] = { "ip", "domain", NULL };
static const char * const answer_kind_nicks[] = { "listed", "policy", "error", NULL };
static const char * const security_nicks[] = { "starttls", "tls", NULL };

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdDnsbl, _md_kb_dnsbl_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdProvider, _md_kb_provider_free)

static void
rule_clear (gpointer data)
{
  MdKbRule *rule = data;

  g_clear_pointer (&rule->meaning, g_free);
}

/* Always returns FALSE, so that parsers can `return _md_data_invalid (...)`. */


static gboolean
node_has_type (JsonNode *node,
               GType     type)
{
  if (type == JSON_TYPE_ARRAY)
    return JSON_NODE_HOLDS_ARRAY (node);
  if (type == JSON_TYPE_OBJECT)
    return JSON_NODE_HOLDS_OBJECT (node);

  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static const char *
type_words (GType type)
{
  if (type == G_TYPE_STRING)
    return _("text");
  if (type == G_TYPE_BOOLEAN)
    return _("true or false");
  if (type == G_TYPE_INT64)
    return _("a whole number");
  if (type == JSON_TYPE_ARRAY)
    return _("a list");

  return _("an object");
}

/* Sets *out to the member's node, or to NULL when an optional member is
 * absent. */
static gboolean
get_member (JsonObject   *object,
            const char   *member,
            GType         type,
            gboolean      required,
            JsonNode    **out,
            const Where  *where,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;

  if (node == NULL)
    {
      if (required)
        return _md_data_invalid (where, error, _("“%s” is missing"), member);
      return TRUE;
    }

  if (!node_has_type (node, type))
    return _md_data_invalid (where, error, _("“%s” must be %s"), member, type_words (type));

  *out = node;

  return TRUE;
}

static gboolean
get_string (JsonObject   *object,
            const char   *member,
            gboolean      required,
            const char  **out,
            const Where  *where,
            GError      **error)
{
  JsonNode *node;

  *out = NULL;

  if (!get_member (object, member, G_TYPE_STRING, required, &node, where, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  *out = json_node_get_string (node);
  if (**out == '\0')
    return _md_data_invalid (where, error, _("“%s” is empty"), member);

  return TRUE;
}

static gboolean
get_boolean (JsonObject   *object,
             const char   *member,
             gboolean     *out,
             const Where  *where,
             GError      **error)
{
  JsonNode *node;

  if (!get_member (object, member, G_TYPE_BOOLEAN, TRUE, &node, where, error))
    return FALSE;

  *out = json_node_get_boolean (node);

  return TRUE;
}

/* Sets *out to 0 when an optional port is absent. */
static gboolean
get_port (JsonObject   *object,
          const char   *member,
          gboolean      required,
          guint        *out,
          const Where  *where,
          GError      **error)
{
  JsonNode *node;
  gint64 port;

  *out = 0;

  if (!get_member (object, member, G_TYPE_INT64, required, &node, where, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  port = json_node_get_int (node);
  if (port < 1 || port > G_MAXUINT16)
    return _md_data_invalid (where, error, _("“%s” must be a port number from 1 to 65535"), member);

  *out = (guint)port;

  return TRUE;
}

/* Reads a nick of @type, allowing only @nicks: the enums' nicks are the
 * words of the data files. */
static gboolean
get_enum (JsonObject         *object,
          const char         *member,
          GType               type,
          const char * const *nicks,
          int                *out,
          const Where        *where,
          GError            **error)
{
  const char *nick;

  if (!get_string (object, member, TRUE, &nick, where, error))
    return FALSE;

  if (!g_strv_contains (nicks, nick))
    {
      g_autofree char *allowed = g_strjoinv (", ", (char **)nicks);

      return _md_data_invalid (where, error, _("“%s” must be one of: %s"), member, allowed);
    }

  /* The allowed nicks are the type's own. */
  if (!md_enum_from_nick (type, nick, out))
    g_return_val_if_reached (FALSE);

  return TRUE;
}

static gboolean
get_strv (JsonObject   *object,
          const char   *member,
          gboolean      required,
          GStrv        *out,
          const Where  *where,
          GError      **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node;
  JsonArray *array;

  if (!get_member (object, member, JSON_TYPE_ARRAY, required, &node, where, error))
    return FALSE;

  array = node != NULL ? json_node_get_array (node) : NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!node_has_type (element, G_TYPE_STRING) ||
          *json_node_get_string (element) == '\0')
        return _md_data_invalid (where, error, _("“%s” must be a list of names"), member);

      g_strv_builder_add (builder, json_node_get_string (element));
    }

  *out = g_strv_builder_end (builder);

  return TRUE;
}

static gboolean
get_optional_url (JsonObject   *object,
                  const char   *member,
                  gboolean      required,
                  char        **out,
                  const Where  *where,
                  GError      **error)
{
  const char *url;

  if (!get_string (object, member, required, &url, where, error))
    return FALSE;
  if (url == NULL)
    return TRUE;

  if (!g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://"))
    return _md_data_invalid (where, error, _("“%s” must be a web address"), member);

  *out = g_strdup (url);

  return TRUE;
}

static gboolean
get_url (JsonObject   *object,
         const char   *member,
         char        **out,
         const Where  *where,
         GError      **error)
{
  return get_optional_url (object, member, TRUE, out, where, error);
}

/* The texts of the data are shown to users: they go through the catalogue
 * like the strings of the code. */
static char *
dup_translated (const char *text)
{
  return text != NULL ? g_strdup (g_dgettext (GETTEXT_PACKAGE, text)) : NULL;
}

static gboolean
is_host_name (const char *name)
{
  g_auto(GStrv) labels = NULL;

  if (strlen (name) > 253 || strchr (name, '.') == NULL)
    return FALSE;

  labels = g_strsplit (name, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      const char *label = labels[i];
      gsize len = strlen (label);

      if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
        return FALSE;

      for (gsize j = 0; j < len; j++)
        {
          if (!g_ascii_islower (label[j]) && !g_ascii_isdigit (label[j]) && label[j] != '-')
            return FALSE;
        }
    }

  return TRUE;
}

/* Names in the data are written tidily: lower case, no final dot. Names
 * outside ASCII are allowed and kept by their ASCII form. */
static char *
data_host (const char *name)
{
  g_autofree char *ascii = _md_kb_normalize_host (name);

  if (ascii == NULL || !is_host_name (ascii))
    return NULL;
  if (!g_hostname_is_non_ascii (name) && !g_str_equal (name, ascii))
    return NULL;

  return g_steal_pointer (&ascii);
}

/* "127.0.0.2", "127.0.0.5-127.0.0.7" or "127.0.1.0/24". */
static gboolean
parse_match (const char *text,
             guint32    *first,
             guint32    *last)
{
  g_auto(GStrv) parts = NULL;

  if (strchr (text, '/') != NULL)
    {
      guint64 prefix;
      guint32 host_bits;

      parts = g_strsplit (text, "/", 2);
      if (!_md_kb_parse_ipv4 (parts[0], first) ||
          !g_ascii_string_to_unsigned (parts[1], 10, 0, 32, &prefix, NULL))
        return FALSE;

      host_bits = prefix == 0 ? G_MAXUINT32 : (G_MAXUINT32 >> prefix);
      *last = *first | host_bits;

      /* A block written from its middle is a typo in the data. */
      return (*first & host_bits) == 0;
    }

  if (strchr (text, '-') != NULL)
    {
      parts = g_strsplit (text, "-", 2);

      return _md_kb_parse_ipv4 (parts[0], first) && _md_kb_parse_ipv4 (parts[1], last) &&
             *first <= *last;
    }

  if (!_md_kb_parse_ipv4 (text, first))
    return FALSE;

  *last = *first;

  return TRUE;
}

static gboolean
parse_answer (JsonObject   *object,
              MdKbRule     *rule,
              const Where  *where,
              GError      **error)
{
  static const char * const members[] = { "match", "kind", "meaning", NULL };
  const char *match;
  const char *meaning;
  int kind;

  if (!_md_data_check_members (object, members, where, error) ||
      !get_string (object, "match", TRUE, &match, where, error) ||
      !get_enum (object, "kind", MD_TYPE_DNSBL_ANSWER, answer_kind_nicks, &kind,
                 where, error) ||
      !get_string (object, "meaning", TRUE, &meaning, where, error))
    return FALSE;

  if (!parse_match (match, &rule->first, &rule->last) ||
      !_md_kb_in_loopback_net (rule->first) || !_md_kb_in_loopback_net (rule->last))
    return _md_data_invalid (where, error,
                    _("“match” must be an address, a range or a CIDR block "
                      "inside 127.0.0.0/8, not “%s”"),
                    match);

  rule->kind = kind;
  rule->meaning = dup_translated (meaning);

  return TRUE;
}

static gboolean
parse_answers (JsonObject  *object,
               GArray     **out,
               Where       *where,
               GError     **error)
{
  g_autoptr(GArray) rules = g_array_new (FALSE, TRUE, sizeof (MdKbRule));
  JsonArray *array;
  JsonNode *node;

  g_array_set_clear_func (rules, rule_clear);

  if (!get_member (object, "answers", JSON_TYPE_ARRAY, TRUE, &node, where, error))
    return FALSE;

  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return _md_data_invalid (where, error, _("“answers” is empty"));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      MdKbRule rule = { 0 };

      where->answer = i + 1;
      if (!node_has_type (element, JSON_TYPE_OBJECT))
        return _md_data_invalid (where, error, _("the answer is not an object"));
      if (!parse_answer (json_node_get_object (element), &rule, where, error))
        return FALSE;

      g_array_append_val (rules, rule);
    }

  where->answer = 0;
  *out = g_steal_pointer (&rules);

  return TRUE;
}

static gboolean
parse_dnsbl (MdKb        *self,
             JsonObject  *object,
             Where       *where,
             GError     **error)
{
  static const char * const members[] = {
    "zone", "name", "kind", "ipv6", "public_resolver_blocked", "delist_url", "policy",
    "answers", NULL
  };
  g_autoptr(MdDnsbl) dnsbl = g_new0 (MdDnsbl, 1);
  g_autoptr(GArray) rules = NULL;
  g_autofree char *ascii = NULL;
  const char *zone;
  const char *name;
  const char *policy;
  int kind;

  if (!_md_data_check_members (object, members, where, error) ||
      !get_string (object, "zone", TRUE, &zone, where, error))
    return FALSE;

  where->entry = zone;
  ascii = data_host (zone);
  if (ascii == NULL || !g_str_equal (ascii, zone))
    return _md_data_invalid (where, error, _("“zone” must be a DNS name in lower case"));
  if (g_hash_table_contains (self->rules, zone))
    return _md_data_invalid (where, error, _("the zone is listed twice"));

  if (!get_string (object, "name", TRUE, &name, where, error) ||
      !get_enum (object, "kind", MD_TYPE_DNSBL_KIND, dnsbl_kind_nicks, &kind, where, error) ||
      !get_boolean (object, "ipv6", &dnsbl->ipv6, where, error) ||
      !get_boolean (object, "public_resolver_blocked", &dnsbl->public_resolver_blocked,
                    where, error) ||
      !get_url (object, "delist_url", &dnsbl->delist_url, where, error) ||
      !get_string (object, "policy", TRUE, &policy, where, error) ||
      !parse_answers (object, &rules, where, error))
    return FALSE;

  dnsbl->zone = g_strdup (zone);
  dnsbl->name = g_strdup (name);
  dnsbl->kind = kind;
  dnsbl->policy = dup_translated (policy);

  g_hash_table_insert (self->rules, dnsbl->zone, g_steal_pointer (&rules));
  g_ptr_array_add (self->dnsbls, g_steal_pointer (&dnsbl));

  return TRUE;
}

static gboolean
is_provider_id (const char *id)
{
  for (const char *p = id; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
        return FALSE;
    }

  return TRUE;
}

static gboolean
has_provider (MdKb       *self,
              const char *id)
{
  for (guint i = 0; i < self->providers->len; i++)
    {
      const MdProvider *provider = g_ptr_array_index (self->providers, i);

      if (g_str_equal (provider->id, id))
        return TRUE;
    }

  return FALSE;
}

static gboolean
get_alternative (JsonObject   *object,
                 MdProvider   *provider,
                 const Where  *where,
                 GError      **error)
{
  int security = MD_SECURITY_AUTO;

  if (!get_port (object, "alt_port", FALSE, &provider->alt_port, where, error))
    return FALSE;

  if (provider->alt_port == 0)
    {
      if (json_object_has_member (object, "alt_security"))
        return _md_data_invalid (where, error, _("“alt_security” needs “alt_port”"));
    }
  else if (provider->alt_port == provider->port)
    {
      return _md_data_invalid (where, error, _("“alt_port” repeats “port”"));
    }
  else if (!get_enum (object, "alt_security", MD_TYPE_SECURITY, security_nicks, &security,
                      where, error))
    {
      return FALSE;
    }

  provider->alt_security = security;

  return TRUE;
}

/* Indexes @names in @table, refusing a name that another provider (or
 * this one) already claims: a lookup must have one answer. */
static gboolean
index_names (GHashTable        *table,
             GStrv              names,
             const MdProvider  *provider,
             const Where       *where,
             GError           **error)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *key = data_host (names[i]);
      const MdProvider *other;

      if (key == NULL)
        return _md_data_invalid (where, error,
                        _("“%s” must be a DNS name in lower case, without a final dot"),
                        names[i]);

      other = g_hash_table_lookup (table, key);
      if (other != NULL)
        return _md_data_invalid (where, error, _("“%s” is already claimed by “%s”"),
                        names[i], other->id);

      g_hash_table_insert (table, g_steal_pointer (&key), (gpointer)provider);
    }

  return TRUE;
}

static gboolean
index_provider (MdKb              *self,
                const MdProvider  *provider,
                const Where       *where,
                GError           **error)
{
  if (provider->domains[0] == NULL && provider->mx_suffixes[0] == NULL)
    return _md_data_invalid (where, error,
                    _("the provider has neither “domains” nor “mx_suffixes”"));

  return index_names (self->by_domain, provider->domains, provider, where, error) &&
         index_names (self->by_mx, provider->mx_suffixes, provider, where, error);
}

static gboolean
parse_provider (MdKb        *self,
                JsonObject  *object,
                Where       *where,
                GError     **error)
{
  static const char * const members[] = {
    "id", "name", "domains", "mx_suffixes", "host", "port", "security", "alt_port",
    "alt_security", "app_password", "app_password_url", "oauth_only", "notes", "source",
    NULL
  };
  g_autoptr(MdProvider) provider = g_new0 (MdProvider, 1);
  g_autofree char *ascii = NULL;
  MdProvider *owned;
  const char *id;
  const char *name;
  const char *host;
  const char *notes;
  int security;

  if (!_md_data_check_members (object, members, where, error) ||
      !get_string (object, "id", TRUE, &id, where, error))
    return FALSE;

  where->entry = id;
  if (!is_provider_id (id))
    return _md_data_invalid (where, error, _("“id” must be lower-case letters, digits and dashes"));
  if (has_provider (self, id))
    return _md_data_invalid (where, error, _("the id is used twice"));

  if (!get_string (object, "name", TRUE, &name, where, error) ||
      !get_strv (object, "domains", TRUE, &provider->domains, where, error) ||
      !get_strv (object, "mx_suffixes", FALSE, &provider->mx_suffixes, where, error) ||
      !get_string (object, "host", TRUE, &host, where, error) ||
      !get_port (object, "port", TRUE, &provider->port, where, error) ||
      !get_enum (object, "security", MD_TYPE_SECURITY, security_nicks, &security,
                 where, error) ||
      !get_alternative (object, provider, where, error) ||
      !get_boolean (object, "app_password", &provider->app_password, where, error) ||
      !get_optional_url (object, "app_password_url", FALSE, &provider->app_password_url,
                         where, error) ||
      !get_boolean (object, "oauth_only", &provider->oauth_only, where, error) ||
      !get_string (object, "notes", FALSE, &notes, where, error) ||
      !get_url (object, "source", &provider->source, where, error))
    return FALSE;

  ascii = data_host (host);
  if (!g_hostname_is_ip_address (host) && (ascii == NULL || !g_str_equal (ascii, host)))
    return _md_data_invalid (where, error, _("“host” must be a host name in lower case or an address"));

  provider->id = g_strdup (id);
  provider->name = g_strdup (name);
  provider->host = g_strdup (host);
  provider->security = security;
  provider->notes = dup_translated (notes);

  /* The array owns the provider before the tables borrow it. */
  owned = g_steal_pointer (&provider);
  g_ptr_array_add (self->providers, owned);

  return index_provider (self, owned, where, error);
}

static gboolean
parse_file (MdKb        *self,
            GBytes      *bytes,
            const char  *file,
            const char  *list,
            EntryFunc    parse_entry,
            GError     **error)
{
  const char *members[] = { "version", list, NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  Where where = { KB_DAMAGED, file, 0, NULL, 0 };
  const char *data;
  JsonObject *object;
  JsonArray *array;
  JsonNode *node;
  gsize size;

  data = g_bytes_get_data (bytes, &size);
  if (!json_parser_load_from_data (parser, data, (gssize)size, &local_error))
    return _md_data_invalid (&where, error, "%s", local_error->message);

  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return _md_data_invalid (&where, error, _("the file is not a JSON object"));

  object = json_node_get_object (node);
  if (!_md_data_check_members (object, members, &where, error) ||
      !get_member (object, "version", G_TYPE_INT64, TRUE, &node, &where, error))
    return FALSE;
  if (json_node_get_int (node) != KB_VERSION)
    return _md_data_invalid (&where, error, _("“version” must be %d"), KB_VERSION);
  if (!get_member (object, list, JSON_TYPE_ARRAY, TRUE, &node, &where, error))
    return FALSE;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      Where entry = { KB_DAMAGED, file, i + 1, NULL, 0 };

      if (!node_has_type (element, JSON_TYPE_OBJECT))
        return _md_data_invalid (&entry, error, _("the entry is not an object"));
      if (!parse_entry (self, json_node_get_object (element), &entry, error))
        return FALSE;
    }

  return TRUE;
}

/* Fills @self, a new knowledge base, from the two files' contents. */
gboolean
_md_kb_load (MdKb    *self,
             GBytes  *dnsbls,
             GBytes  *providers,
             GError **error)
{
  return parse_file (self, dnsbls, MD_KB_DNSBLS_FILE, "dnsbls", parse_dnsbl, error) &&
         parse_file (self, providers, MD_KB_PROVIDERS_FILE, "providers", parse_provider, error);
}
