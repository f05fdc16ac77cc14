/* md-fix.c: one fix for a 421, and the catalogue they come from
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixes are data (kb/fixes.json), reviewed like code: loading refuses
 * unknown members, empty texts, unknown mail programs and check ids that
 * the design does not have, and the error names the entry.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "md-check.h"
#include "md-core-resources.h"
#include "md-enums.h"
#include "md-data-private.h"
#include "md-finding.h"
#include "md-fix-private.h"
#include "md-kb.h"

#define CATALOGUE_VERSION 1

struct _MdFix
{
  GObject      parent_instance;

  char        *id;
  char        *title;
  char        *why;
  MdFixEffort  effort;
  MdCheckId    verify;
  GStrv        steps;
  GHashTable  *variants;  /* mail program → GStrv of its own steps */
};

G_DEFINE_FINAL_TYPE (MdFix, md_fix, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_WHY,
  PROP_EFFORT,
  PROP_VERIFY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The mail programs whose steps may differ; "phone" covers the mail apps
 * of iPhones and Android phones. */
static const char * const mail_programs[] = {
  "thunderbird", "outlook", "apple-mail", "evolution", "phone", NULL
};

static void
md_fix_finalize (GObject *object)
{
  MdFix *self = (MdFix *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->why, g_free);
  g_clear_pointer (&self->steps, g_strfreev);
  g_clear_pointer (&self->variants, g_hash_table_unref);

  G_OBJECT_CLASS (md_fix_parent_class)->finalize (object);
}

static void
md_fix_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  MdFix *self = MD_FIX (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_WHY:
      g_value_set_string (value, self->why);
      break;

    case PROP_EFFORT:
      g_value_set_enum (value, self->effort);
      break;

    case PROP_VERIFY:
      g_value_set_enum (value, self->verify);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_fix_class_init (MdFixClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = md_fix_finalize;
  object_class->get_property = md_fix_get_property;

  /* The catalogue is read-only data: a fix never changes once loaded. */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WHY] =
    g_param_spec_string ("why", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EFFORT] =
    g_param_spec_enum ("effort", NULL, NULL,
                       MD_TYPE_FIX_EFFORT, MD_FIX_EFFORT_LOW,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERIFY] =
    g_param_spec_enum ("verify", NULL, NULL,
                       MD_TYPE_CHECK_ID, MD_CHECK_INPUT,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
md_fix_init (MdFix *self)
{
  self->variants = g_hash_table_new_full (g_str_hash, g_str_equal,
                                          g_free, (GDestroyNotify)g_strfreev);
}

const char *
md_fix_get_id (MdFix *self)
{
  g_return_val_if_fail (MD_IS_FIX (self), NULL);

  return self->id;
}

/**
 * md_fix_get_title:
 *
 * Returns: a short, plain instruction, such as "Wait, then try again"
 */
const char *
md_fix_get_title (MdFix *self)
{
  g_return_val_if_fail (MD_IS_FIX (self), NULL);

  return self->title;
}

/**
 * md_fix_get_why:
 *
 * Returns: why the fix helps with a 421, in one or two plain sentences
 */
const char *
md_fix_get_why (MdFix *self)
{
  g_return_val_if_fail (MD_IS_FIX (self), NULL);

  return self->why;
}

MdFixEffort
md_fix_get_effort (MdFix *self)
{
  g_return_val_if_fail (MD_IS_FIX (self), MD_FIX_EFFORT_LOW);

  return self->effort;
}

/**
 * md_fix_get_verify:
 *
 * Returns: the check whose result shows whether the fix worked
 */
MdCheckId
md_fix_get_verify (MdFix *self)
{
  g_return_val_if_fail (MD_IS_FIX (self), MD_CHECK_INPUT);

  return self->verify;
}

/**
 * md_fix_dup_steps:
 * @mail_program: (nullable): "thunderbird", "outlook", "apple-mail",
 *   "evolution" or "phone"
 *
 * Gets the steps to follow, in order; the caller numbers them. A program
 * whose steps differ has its own; any other program, and %NULL, gets the
 * general steps.
 *
 * Returns: (transfer full): the steps
 */
GStrv
md_fix_dup_steps (MdFix      *self,
                  const char *mail_program)
{
  GStrv steps = NULL;

  g_return_val_if_fail (MD_IS_FIX (self), NULL);

  if (mail_program != NULL)
    steps = g_hash_table_lookup (self->variants, mail_program);

  return g_strdupv (steps != NULL ? steps : self->steps);
}

/**
 * md_fix_catalogue_find:
 * @catalogue: (element-type MdFix): a catalogue from md_fix_load_catalogue()
 * @id: a fix id, such as "retry-later"
 *
 * Returns: (transfer full) (nullable): the fix, or %NULL when there is none
 *   with that id
 */
MdFix *
md_fix_catalogue_find (GListModel *catalogue,
                       const char *id)
{
  guint n_items;

  g_return_val_if_fail (G_IS_LIST_MODEL (catalogue), NULL);
  g_return_val_if_fail (g_list_model_get_item_type (catalogue) == MD_TYPE_FIX, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  n_items = g_list_model_get_n_items (catalogue);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(MdFix) fix = g_list_model_get_item (catalogue, i);

      if (g_str_equal (fix->id, id))
        return g_steal_pointer (&fix);
    }

  return NULL;
}

typedef MdDataPlace Where;

#define FIX_DAMAGED _("The built-in fix catalogue is damaged")

static gboolean
is_text (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING &&
         *json_node_get_string (node) != '\0';
}

static gboolean
get_string (JsonObject   *object,
            const char   *member,
            const char  **out,
            const Where  *where,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return _md_data_invalid (where, error, _("“%s” is missing"), member);
  if (!is_text (node))
    return _md_data_invalid (where, error, _("“%s” must be text, not empty"), member);

  *out = json_node_get_string (node);

  return TRUE;
}

/* The texts of the data are shown to users: they go through the catalogue
 * like the strings of the code. */
static gboolean
get_text (JsonObject   *object,
          const char   *member,
          char        **out,
          const Where  *where,
          GError      **error)
{
  const char *text;

  if (!get_string (object, member, &text, where, error))
    return FALSE;

  *out = g_strdup (g_dgettext (GETTEXT_PACKAGE, text));

  return TRUE;
}

/* @name says which list is wrong: "steps", or a mail program's name. */
static gboolean
get_steps (JsonNode     *node,
           const char   *name,
           GStrv        *out,
           const Where  *where,
           GError      **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  if (array == NULL || json_array_get_length (array) == 0)
    return _md_data_invalid (where, error, _("“%s” must be a list of steps"), name);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!is_text (element))
        return _md_data_invalid (where, error, _("step %u of “%s” must be text, not empty"),
                        i + 1, name);

      g_strv_builder_add (builder, g_dgettext (GETTEXT_PACKAGE,
                                               json_node_get_string (element)));
    }

  *out = g_strv_builder_end (builder);

  return TRUE;
}

static gboolean
get_variants (JsonObject   *object,
              GHashTable   *variants,
              const Where  *where,
              GError      **error)
{
  JsonNode *node = json_object_get_member (object, "variants");
  g_autoptr(GList) programs = NULL;

  /* Most fixes are the same in every mail program. */
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _md_data_invalid (where, error, _("“variants” must be an object"));

  programs = json_object_get_members (json_node_get_object (node));
  for (const GList *l = programs; l != NULL; l = l->next)
    {
      const char *program = l->data;
      JsonNode *steps_node = json_object_get_member (json_node_get_object (node), program);
      GStrv steps;

      if (!g_strv_contains (mail_programs, program))
        return _md_data_invalid (where, error, _("unknown mail program “%s”"), program);
      if (!get_steps (steps_node, program, &steps, where, error))
        return FALSE;

      g_hash_table_insert (variants, g_strdup (program), steps);
    }

  return TRUE;
}

/* The enum's nicks are the words of the data. */
static gboolean
get_effort (JsonObject   *object,
            MdFixEffort  *out,
            const Where  *where,
            GError      **error)
{
  const char *nick;
  int value;

  if (!get_string (object, "effort", &nick, where, error))
    return FALSE;

  if (!md_enum_from_nick (MD_TYPE_FIX_EFFORT, nick, &value))
    return _md_data_invalid (where, error, _("“effort” must be low, medium or high, not “%s”"), nick);

  *out = value;

  return TRUE;
}

static gboolean
get_effort_if (JsonObject   *object,
               gboolean      required,
               MdFixEffort  *out,
               const Where  *where,
               GError      **error)
{
  /* Without one, a fix counts as a middling amount of work. */
  if (!required && !json_object_has_member (object, "effort"))
    {
      *out = MD_FIX_EFFORT_MEDIUM;
      return TRUE;
    }

  return get_effort (object, out, where, error);
}

static gboolean
get_verify (JsonObject   *object,
            MdCheckId    *out,
            const Where  *where,
            GError      **error)
{
  const char *id;

  if (!get_string (object, "verify", &id, where, error))
    return FALSE;

  if (!md_check_id_from_string (id, out))
    return _md_data_invalid (where, error, _("“verify” must be a check id, not “%s”"), id);

  return TRUE;
}

gboolean
_md_fix_is_id (const char *id)
{
  if (*id == '\0')
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
        return FALSE;
    }

  return TRUE;
}

/* Parses one entry and appends it to @catalogue. */
/* A saved report may come from before fixes had an effort; the built-in
 * catalogue must give every one. */
static gboolean
parse_fix (JsonObject  *object,
           GListStore  *catalogue,
           gboolean     effort_required,
           Where       *where,
           GError     **error)
{
  static const char * const members[] = {
    "id", "title", "why", "effort", "steps", "variants", "verify", NULL
  };
  g_autoptr(MdFix) fix = g_object_new (MD_TYPE_FIX, NULL);
  g_autoptr(MdFix) other = NULL;
  JsonNode *steps;
  const char *id;

  if (!_md_data_check_members (object, members, where, error) ||
      !get_string (object, "id", &id, where, error))
    return FALSE;

  where->entry = id;
  if (!_md_fix_is_id (id))
    return _md_data_invalid (where, error, _("“id” must be lower-case letters, digits and dashes"));

  other = md_fix_catalogue_find (G_LIST_MODEL (catalogue), id);
  if (other != NULL)
    return _md_data_invalid (where, error, _("the id is used twice"));

  steps = json_object_get_member (object, "steps");
  if (steps == NULL)
    return _md_data_invalid (where, error, _("“%s” is missing"), "steps");

  if (!get_text (object, "title", &fix->title, where, error) ||
      !get_text (object, "why", &fix->why, where, error) ||
      !get_effort_if (object, effort_required, &fix->effort, where, error) ||
      !get_steps (steps, "steps", &fix->steps, where, error) ||
      !get_variants (object, fix->variants, where, error) ||
      !get_verify (object, &fix->verify, where, error))
    return FALSE;

  fix->id = g_strdup (id);
  g_list_store_append (catalogue, fix);

  return TRUE;
}

/* Checks the file around the entries, and finds them. */
static gboolean
get_fixes (JsonParser  *parser,
           JsonArray  **out,
           GError     **error)
{
  static const char * const members[] = { "version", "fixes", NULL };
  JsonNode *root = json_parser_get_root (parser);
  Where where = { FIX_DAMAGED, MD_FIX_CATALOGUE_FILE, 0, NULL, 0 };
  JsonObject *object;
  JsonNode *node;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return _md_data_invalid (&where, error, _("the file is not a JSON object"));

  object = json_node_get_object (root);
  if (!_md_data_check_members (object, members, &where, error))
    return FALSE;

  node = json_object_get_member (object, "version");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) != CATALOGUE_VERSION)
    return _md_data_invalid (&where, error, _("“version” must be %d"), CATALOGUE_VERSION);

  node = json_object_get_member (object, "fixes");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return _md_data_invalid (&where, error, _("“fixes” must be a list"));

  *out = json_node_get_array (node);

  return TRUE;
}

static gboolean
parse_fix_array (JsonArray    *fixes,
                 GListStore   *catalogue,
                 gboolean      effort_required,
                 const Where  *file,
                 GError      **error)
{
  for (guint i = 0; i < json_array_get_length (fixes); i++)
    {
      JsonNode *element = json_array_get_element (fixes, i);
      Where where = { file->damaged, file->file, i + 1, NULL, 0 };

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return _md_data_invalid (&where, error, _("the entry is not an object"));
      if (!parse_fix (json_node_get_object (element), catalogue, effort_required, &where, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
parse_catalogue (JsonParser  *parser,
                 GListStore  *catalogue,
                 GError     **error)
{
  JsonArray *fixes = NULL;
  Where file = { FIX_DAMAGED, MD_FIX_CATALOGUE_FILE, 0, NULL, 0 };

  if (!get_fixes (parser, &fixes, error))
    return FALSE;

  return parse_fix_array (fixes, catalogue, TRUE, &file, error);
}

/**
 * _md_fix_list_from_json:
 * @place: what the data is, for the error: its "damaged" sentence and file
 *
 * Reads fixes in the catalogue's own form, as a saved report keeps them,
 * with the same checks as the built-in catalogue.
 *
 * Returns: (transfer full) (element-type MdFix): the fixes, or %NULL
 */
GListModel *
_md_fix_list_from_json (JsonArray          *array,
                        const MdDataPlace  *place,
                        GError            **error)
{
  g_autoptr(GListStore) fixes = g_list_store_new (MD_TYPE_FIX);

  g_return_val_if_fail (array != NULL, NULL);

  if (!parse_fix_array (array, fixes, FALSE, place, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&fixes));
}

static void
add_steps (JsonBuilder        *builder,
           const char * const *steps)
{
  json_builder_begin_array (builder);
  for (guint i = 0; steps[i] != NULL; i++)
    json_builder_add_string_value (builder, steps[i]);
  json_builder_end_array (builder);
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/**
 * _md_fix_to_json:
 *
 * Writes @self in the catalogue's own form, so that a report keeps the
 * steps for every mail program and reads back with _md_fix_list_from_json().
 */
void
_md_fix_to_json (MdFix       *self,
                 JsonBuilder *builder)
{
  json_builder_begin_object (builder);
  add_member (builder, "id", self->id);
  add_member (builder, "title", self->title);
  add_member (builder, "why", self->why);
  add_member (builder, "effort", md_enum_to_nick (MD_TYPE_FIX_EFFORT, self->effort));
  json_builder_set_member_name (builder, "steps");
  add_steps (builder, (const char * const *)self->steps);

  if (g_hash_table_size (self->variants) > 0)
    {
      json_builder_set_member_name (builder, "variants");
      json_builder_begin_object (builder);
      for (guint i = 0; mail_programs[i] != NULL; i++)
        {
          const char * const *steps = g_hash_table_lookup (self->variants, mail_programs[i]);

          if (steps == NULL)
            continue;
          json_builder_set_member_name (builder, mail_programs[i]);
          add_steps (builder, steps);
        }
      json_builder_end_object (builder);
    }

  add_member (builder, "verify", md_check_id_to_string (self->verify));
  json_builder_end_object (builder);
}

/* Parses a catalogue in memory: md_fix_load_catalogue() reads the
 * built-in one, and the tests feed broken ones. */
GListModel *
_md_fix_parse_catalogue (const char  *json,
                         gsize        len,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GListStore) catalogue = g_list_store_new (MD_TYPE_FIX);
  g_autoptr(GError) local_error = NULL;
  Where where = { FIX_DAMAGED, MD_FIX_CATALOGUE_FILE, 0, NULL, 0 };

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (len <= G_MAXSSIZE, NULL);

  if (!json_parser_load_from_data (parser, json, (gssize)len, &local_error))
    {
      _md_data_invalid (&where, error, "%s", local_error->message);
      return NULL;
    }

  if (!parse_catalogue (parser, catalogue, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&catalogue));
}

/**
 * md_fix_load_catalogue:
 *
 * Loads every fix the app knows, from the core's resource, in the order
 * of the data.
 *
 * Returns: (transfer full) (element-type MdFix): the catalogue, or %NULL
 *   with %G_IO_ERROR_INVALID_DATA when the built-in data is broken
 */
GListModel *
md_fix_load_catalogue (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize size;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Naming the resource here also keeps its object file, and so its
   * registration, in every program that links the static core. */
  bytes = g_resource_lookup_data (md_core_get_resource (),
                                  MD_KB_RESOURCE_PATH "/" MD_FIX_CATALOGUE_FILE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &size);

  return _md_fix_parse_catalogue (data, size, error);
}

/* A fix's place in the plan: how likely it is to help, less a little for
 * the work it asks, so that a quick fix goes before an equally likely long
 * one. Later fixes of a finding are its less likely ones. */
#define EFFORT_PENALTY    0.1
#define POSITION_DISCOUNT 0.15

typedef struct
{
  MdFix  *fix;
  double  score;
  guint   order;
} PlanEntry;

static double
fix_score (MdFix  *fix,
           double  confidence,
           guint   position)
{
  double likelihood = confidence * MAX (0.1, 1.0 - POSITION_DISCOUNT * position);

  return likelihood - EFFORT_PENALTY * (double)fix->effort;
}

static void
plan_add (GArray *entries,
          MdFix  *fix,
          double  score)
{
  for (guint i = 0; i < entries->len; i++)
    {
      PlanEntry *entry = &g_array_index (entries, PlanEntry, i);

      if (entry->fix == fix)
        {
          entry->score = MAX (entry->score, score);
          return;
        }
    }

  g_array_append_val (entries, ((PlanEntry) { fix, score, entries->len }));
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const PlanEntry *ea = a;
  const PlanEntry *eb = b;

  if (ea->score != eb->score)
    return ea->score > eb->score ? -1 : 1;

  return (int)ea->order - (int)eb->order;
}

/**
 * md_fix_plan_new:
 * @catalogue: (element-type MdFix): the fix catalogue
 * @findings: (element-type MdFinding): findings, most important first
 *
 * Orders the fixes the findings name by how likely each is to help and
 * how much work it is, each fix once.
 *
 * Returns: (transfer full) (element-type MdFix): the plan
 */
GListModel *
md_fix_plan_new (GListModel *catalogue,
                 GListModel *findings)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (PlanEntry));
  g_autoptr(GListStore) plan = g_list_store_new (MD_TYPE_FIX);
  guint n_findings;

  g_return_val_if_fail (G_IS_LIST_MODEL (catalogue), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (findings), NULL);

  n_findings = g_list_model_get_n_items (findings);
  for (guint i = 0; i < n_findings; i++)
    {
      g_autoptr(MdFinding) finding = g_list_model_get_item (findings, i);
      const char * const *ids = md_finding_get_fixes (finding);

      for (guint j = 0; ids[j] != NULL; j++)
        {
          /* The catalogue keeps the fix alive for the plan's lifetime. */
          g_autoptr(MdFix) fix = md_fix_catalogue_find (catalogue, ids[j]);

          if (fix != NULL)
            plan_add (entries, fix,
                      fix_score (fix, md_finding_get_confidence (finding), j));
        }
    }

  g_array_sort (entries, compare_entries);
  for (guint i = 0; i < entries->len; i++)
    g_list_store_append (plan, g_array_index (entries, PlanEntry, i).fix);

  return G_LIST_MODEL (g_steal_pointer (&plan));
}
