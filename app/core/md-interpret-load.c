/* md-interpret-load.c: the catalogue of replies, from replies.json
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules are data; loading checks every field a rule depends on, so a
 * damaged or hand-edited catalogue fails with a sentence, never later
 * with a wrong answer.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "md-core-resources.h"
#include "md-enums.h"
#include "md-finding.h"
#include "md-interpret-private.h"
#include "md-kb.h"

#define REPLIES_FILE    "replies.json"
#define REPLIES_VERSION 1

/* The ids of md-fix: a rule naming another would offer a fix that does
 * not exist. */
static const char * const fix_ids[] = {
  "check-server-status", "slow-down", "verify-settings", "check-blocklists",
  "clear-outbox", "setup-sender-auth", "retry-later", "check-network",
  "update-mail-program", "app-password", "antivirus-tls", "contact-provider",
  NULL
};

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->id);
  g_free (entry->key);
  g_free (entry->provider);
  g_free (entry->enhanced);
  g_strfreev (entry->markers);
  g_strfreev (entry->requires);
  g_strfreev (entry->unless);
  g_free (entry->explanation);
  g_strfreev (entry->fixes);
  g_free (entry);
}

static void
provider_free (gpointer data)
{
  Provider *provider = data;

  g_free (provider->name);
  g_strfreev (provider->markers);
  g_free (provider);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Entry, entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Provider, provider_free)

void
md_interpret_catalogue_free (MdInterpretCatalogue *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_pointer (&self->enhanced, g_ptr_array_unref);
  g_clear_pointer (&self->reply_codes, g_ptr_array_unref);
  g_clear_pointer (&self->providers, g_ptr_array_unref);
  for (gsize i = 0; i < G_N_ELEMENTS (self->wrappers); i++)
    g_clear_pointer (&self->wrappers[i], g_regex_unref);
  g_clear_pointer (&self->continuation, g_regex_unref);
  g_clear_pointer (&self->bare_code, g_regex_unref);
  g_clear_pointer (&self->space, g_regex_unref);
  g_free (self);
}

/* Loading ------------------------------------------------------------- */

static gboolean G_GNUC_PRINTF (3, 4)
invalid (const char  *where,
         GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("The built-in knowledge base is damaged: %s, %s: %s"),
               REPLIES_FILE, where, detail);

  return FALSE;
}

/* Unlike json_object_get_array_member, quiet when the member is missing
 * or is something else. */
static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
read_string_list (JsonObject   *object,
                  const char   *member,
                  gboolean      lower,
                  GStrv        *out,
                  const char   *where,
                  GError      **error)
{
  JsonArray *array = get_array (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n;

  if (array == NULL)
    return invalid (where, error, _("“%s” must be a list"), member);

  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *item = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
      g_autofree char *copy = NULL;

      if (item == NULL || *item == '\0')
        return invalid (where, error, _("“%s” holds an empty or non-text item"), member);

      copy = lower ? g_utf8_strdown (item, -1) : g_strdup (item);
      g_strv_builder_add (builder, copy);
    }

  *out = g_strv_builder_end (builder);

  return TRUE;
}

static gboolean
read_meaning (JsonObject  *object,
              Entry       *entry,
              const char  *where,
              GError     **error)
{
  const char *cause = json_object_get_string_member_with_default (object, "cause", "");
  const char *explanation = json_object_get_string_member_with_default (object, "explanation", "");

  if (!md_cause_from_string (cause, &entry->cause))
    return invalid (where, error, _("“%s” is not a known cause"), cause);

  entry->confidence = json_object_get_double_member_with_default (object, "confidence", -1);
  if (entry->confidence <= 0 || entry->confidence > 1)
    return invalid (where, error, _("the confidence must be above 0 and at most 1"));

  if (*explanation == '\0')
    return invalid (where, error, _("the explanation is missing"));
  /* The texts are shown to users: they go through the catalogue like the
   * strings of the code. */
  entry->explanation = g_strdup (g_dgettext (GETTEXT_PACKAGE, explanation));

  if (!read_string_list (object, "fixes", FALSE, &entry->fixes, where, error))
    return FALSE;
  for (guint i = 0; entry->fixes[i] != NULL; i++)
    if (!g_strv_contains (fix_ids, entry->fixes[i]))
      return invalid (where, error, _("“%s” is not a known fix"), entry->fixes[i]);

  return TRUE;
}

static const char *
nullable_string (JsonObject *object,
                 const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
}

/* "stages": the steps of the conversation a rule is limited to, because
 * the same words mean something else elsewhere. */
static gboolean
read_stages (JsonObject  *object,
             guint       *stages,
             const char  *where,
             GError     **error)
{
  g_auto(GStrv) nicks = NULL;

  *stages = 0;
  if (!json_object_has_member (object, "stages"))
    return TRUE;
  if (!read_string_list (object, "stages", TRUE, &nicks, where, error))
    return FALSE;

  for (guint i = 0; nicks[i] != NULL; i++)
    {
      int stage;

      if (!md_enum_from_nick (MD_TYPE_SMTP_STAGE, nicks[i], &stage))
        return invalid (where, error, _("“%s” is not a step of the conversation"), nicks[i]);
      *stages |= 1u << stage;
    }

  return TRUE;
}

/* An optional list: missing is empty. */
static gboolean
read_optional_list (JsonObject  *object,
                    const char  *member,
                    GStrv       *out,
                    const char  *where,
                    GError     **error)
{
  if (!json_object_has_member (object, member))
    {
      *out = g_new0 (char *, 1);
      return TRUE;
    }

  return read_string_list (object, member, TRUE, out, where, error);
}

/* "alone": how sure the rule's words are when the text has no reply code
 * at all, as in what a mail program writes of its own ("Connection timed
 * out"). Without it, half the confidence: words alone may be about
 * something else. */
static gboolean
read_alone (JsonObject  *object,
            Entry       *entry,
            const char  *where,
            GError     **error)
{
  entry->alone = json_object_get_double_member_with_default (object, "alone",
                                                             entry->confidence / 2);
  if (entry->alone <= 0 || entry->alone > 1)
    return invalid (where, error, _("the confidence must be above 0 and at most 1"));

  return TRUE;
}

static Entry *
read_rule (JsonObject  *object,
           GError     **error)
{
  g_autoptr(Entry) entry = g_new0 (Entry, 1);
  const char *id = nullable_string (object, "id");
  JsonNode *code = json_object_get_member (object, "code");

  if (id == NULL || *id == '\0')
    {
      invalid (_("a rule"), error, _("the id is missing"));
      return NULL;
    }
  entry->id = g_strdup (id);
  entry->provider = g_strdup (nullable_string (object, "provider"));
  entry->enhanced = g_strdup (nullable_string (object, "enhanced"));
  if (code != NULL && JSON_NODE_HOLDS_VALUE (code))
    entry->code = (guint) CLAMP (json_node_get_int (code), 0, 999);

  entry->weight = (int) CLAMP (json_object_get_int_member_with_default (object, "weight", 0),
                               -100, 100);

  if (!read_string_list (object, "markers", TRUE, &entry->markers, id, error) ||
      !read_optional_list (object, "requires", &entry->requires, id, error) ||
      !read_optional_list (object, "unless", &entry->unless, id, error) ||
      !read_stages (object, &entry->stages, id, error) ||
      !read_meaning (object, entry, id, error) ||
      !read_alone (object, entry, id, error))
    return NULL;

  /* A rule with nothing to match would swallow every text. */
  if (entry->code == 0 && entry->enhanced == NULL && entry->markers[0] == NULL)
    {
      invalid (id, error, _("the rule matches nothing in particular"));
      return NULL;
    }

  return g_steal_pointer (&entry);
}

static Entry *
read_table_row (JsonObject  *object,
                GError     **error)
{
  g_autoptr(Entry) entry = g_new0 (Entry, 1);
  const char *key = nullable_string (object, "code");

  if (key == NULL || *key == '\0')
    {
      invalid (_("a code table"), error, _("the code is missing"));
      return NULL;
    }
  entry->key = g_strdup (key);
  entry->markers = g_new0 (char *, 1);
  entry->requires = g_new0 (char *, 1);
  entry->unless = g_new0 (char *, 1);

  if (!read_meaning (object, entry, key, error))
    return NULL;

  return g_steal_pointer (&entry);
}

static Provider *
read_provider (JsonObject  *object,
               GError     **error)
{
  g_autoptr(Provider) provider = g_new0 (Provider, 1);
  const char *name = nullable_string (object, "name");

  if (name == NULL || *name == '\0')
    {
      invalid (_("a provider"), error, _("the name is missing"));
      return NULL;
    }
  provider->name = g_strdup (name);

  if (!read_string_list (object, "markers", TRUE, &provider->markers, name, error))
    return NULL;

  return g_steal_pointer (&provider);
}

typedef gpointer (*ReadFunc) (JsonObject *object,
                              GError    **error);

static GPtrArray *
read_array (JsonObject      *root,
            const char      *member,
            ReadFunc         read,
            GDestroyNotify   free_func,
            GError         **error)
{
  JsonArray *array = get_array (root, member);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (free_func);

  if (array == NULL)
    {
      invalid (member, error, _("the list is missing"));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gpointer item;

      if (object == NULL)
        {
          invalid (member, error, _("item %u is not an object"), i + 1);
          return NULL;
        }
      if ((item = read (object, error)) == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }

  return g_steal_pointer (&items);
}

MdInterpretCatalogue *
md_interpret_catalogue_new_from_bytes (GBytes  *json,
                                       GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(MdInterpretCatalogue) self = g_new0 (MdInterpretCatalogue, 1);
  gconstpointer data;
  gsize len;
  JsonNode *root_node;
  JsonObject *root;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (json, &len);
  if (!json_parser_load_from_data (parser, data, (gssize) len, error))
    return NULL;

  root_node = json_parser_get_root (parser);
  root = root_node != NULL && JSON_NODE_HOLDS_OBJECT (root_node)
    ? json_node_get_object (root_node) : NULL;
  if (root == NULL || json_object_get_int_member_with_default (root, "version", 0) != REPLIES_VERSION)
    {
      invalid (_("the file"), error, _("not version %d of the catalogue"), REPLIES_VERSION);
      return NULL;
    }

  _md_interpret_compile_patterns (self);

  if ((self->rules = read_array (root, "rules", (ReadFunc) read_rule, entry_free, error)) == NULL ||
      (self->enhanced = read_array (root, "enhanced_codes", (ReadFunc) read_table_row,
                                    entry_free, error)) == NULL ||
      (self->reply_codes = read_array (root, "reply_codes", (ReadFunc) read_table_row,
                                       entry_free, error)) == NULL ||
      (self->providers = read_array (root, "providers", (ReadFunc) read_provider,
                                     provider_free, error)) == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

MdInterpretCatalogue *
md_interpret_catalogue_new (GError **error)
{
  g_autoptr(GBytes) json = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  json = g_resource_lookup_data (md_core_get_resource (),
                                 MD_KB_RESOURCE_PATH "/" REPLIES_FILE,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (json == NULL)
    return NULL;

  return md_interpret_catalogue_new_from_bytes (json, error);
}

