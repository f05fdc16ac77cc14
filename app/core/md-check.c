/* md-check.c: the result of one check
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "md-config.h"

#include "md-check.h"
#include "md-compat.h"
#include "md-enums.h"

struct _MdCheck
{
  GObject        parent_instance;

  MdCheckId      id;
  MdCheckStatus  status;
  char          *summary;
  char          *detail;
  guint          duration_ms;

  /* Evidence keeps the order it was added in, so reports read the same
   * every time: a list of keys beside a key → value table. */
  GPtrArray     *evidence_keys;
  GHashTable    *evidence;
};

G_DEFINE_FINAL_TYPE (MdCheck, md_check, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STATUS,
  PROP_SUMMARY,
  PROP_DETAIL,
  PROP_DURATION_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
md_check_finalize (GObject *object)
{
  MdCheck *self = (MdCheck *)object;

  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->detail, g_free);
  g_clear_pointer (&self->evidence_keys, g_ptr_array_unref);
  g_clear_pointer (&self->evidence, g_hash_table_unref);

  G_OBJECT_CLASS (md_check_parent_class)->finalize (object);
}

static void
md_check_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  MdCheck *self = MD_CHECK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_enum (value, self->id);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;

    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;

    case PROP_DURATION_MS:
      g_value_set_uint (value, self->duration_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_check_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  MdCheck *self = MD_CHECK (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_enum (value);
      break;

    case PROP_STATUS:
      md_check_set_status (self, g_value_get_enum (value));
      break;

    case PROP_SUMMARY:
      md_check_set_summary (self, g_value_get_string (value));
      break;

    case PROP_DETAIL:
      md_check_set_detail (self, g_value_get_string (value));
      break;

    case PROP_DURATION_MS:
      md_check_set_duration_ms (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_check_class_init (MdCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = md_check_finalize;
  object_class->get_property = md_check_get_property;
  object_class->set_property = md_check_set_property;

  properties[PROP_ID] =
    g_param_spec_enum ("id", NULL, NULL,
                       MD_TYPE_CHECK_ID, MD_CHECK_INPUT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       MD_TYPE_CHECK_STATUS, MD_CHECK_STATUS_SKIP,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION_MS] =
    g_param_spec_uint ("duration-ms", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
md_check_init (MdCheck *self)
{
  self->status = MD_CHECK_STATUS_SKIP;
  self->evidence_keys = g_ptr_array_new_with_free_func (g_free);
  self->evidence = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

MdCheck *
md_check_new (MdCheckId id)
{
  return g_object_new (MD_TYPE_CHECK, "id", id, NULL);
}

MdCheckId
md_check_get_id (MdCheck *self)
{
  g_return_val_if_fail (MD_IS_CHECK (self), MD_CHECK_INPUT);

  return self->id;
}

const char *
md_check_get_id_string (MdCheck *self)
{
  g_return_val_if_fail (MD_IS_CHECK (self), NULL);

  return md_check_id_to_string (self->id);
}

MdCheckStatus
md_check_get_status (MdCheck *self)
{
  g_return_val_if_fail (MD_IS_CHECK (self), MD_CHECK_STATUS_ERROR);

  return self->status;
}

void
md_check_set_status (MdCheck       *self,
                     MdCheckStatus  status)
{
  g_return_if_fail (MD_IS_CHECK (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
md_check_get_summary (MdCheck *self)
{
  g_return_val_if_fail (MD_IS_CHECK (self), NULL);

  return self->summary;
}

void
md_check_set_summary (MdCheck    *self,
                      const char *summary)
{
  g_return_if_fail (MD_IS_CHECK (self));

  if (md_set_str (&self->summary, summary))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

const char *
md_check_get_detail (MdCheck *self)
{
  g_return_val_if_fail (MD_IS_CHECK (self), NULL);

  return self->detail;
}

void
md_check_set_detail (MdCheck    *self,
                     const char *detail)
{
  g_return_if_fail (MD_IS_CHECK (self));

  if (md_set_str (&self->detail, detail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
}

guint
md_check_get_duration_ms (MdCheck *self)
{
  g_return_val_if_fail (MD_IS_CHECK (self), 0);

  return self->duration_ms;
}

void
md_check_set_duration_ms (MdCheck *self,
                          guint    duration_ms)
{
  g_return_if_fail (MD_IS_CHECK (self));

  if (self->duration_ms == duration_ms)
    return;

  self->duration_ms = duration_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION_MS]);
}

/**
 * md_check_set_evidence:
 * @key: a stable, machine-readable key
 * @value: (nullable): the value; %NULL removes the key
 *
 * Records one piece of evidence. Setting a key again replaces its value
 * and keeps its place.
 */
void
md_check_set_evidence (MdCheck    *self,
                       const char *key,
                       const char *value)
{
  guint pos;

  g_return_if_fail (MD_IS_CHECK (self));
  g_return_if_fail (key != NULL);

  if (value == NULL)
    {
      if (g_ptr_array_find_with_equal_func (self->evidence_keys, key, g_str_equal, &pos))
        {
          g_hash_table_remove (self->evidence, key);
          g_ptr_array_remove_index (self->evidence_keys, pos);
        }
      return;
    }

  if (!g_ptr_array_find_with_equal_func (self->evidence_keys, key, g_str_equal, &pos))
    {
      g_ptr_array_add (self->evidence_keys, g_strdup (key));
      pos = self->evidence_keys->len - 1;
    }

  g_hash_table_replace (self->evidence, g_ptr_array_index (self->evidence_keys, pos),
                        g_strdup (value));
}

const char *
md_check_get_evidence (MdCheck    *self,
                       const char *key)
{
  g_return_val_if_fail (MD_IS_CHECK (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->evidence, key);
}

GStrv
md_check_dup_evidence_keys (MdCheck *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MD_IS_CHECK (self), NULL);

  for (guint i = 0; i < self->evidence_keys->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->evidence_keys, i));

  return g_strv_builder_end (builder);
}

/**
 * md_check_finish:
 *
 * Sets status, plain-language summary and technical detail in one call,
 * which is how every check ends.
 */
void
md_check_finish (MdCheck       *self,
                 MdCheckStatus  status,
                 const char    *summary,
                 const char    *detail)
{
  g_return_if_fail (MD_IS_CHECK (self));

  g_object_freeze_notify (G_OBJECT (self));
  md_check_set_summary (self, summary);
  md_check_set_detail (self, detail);
  md_check_set_status (self, status);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
md_check_id_to_string (MdCheckId id)
{
  return md_enum_to_nick (MD_TYPE_CHECK_ID, id);
}

gboolean
md_check_id_from_string (const char *str,
                         MdCheckId  *id)
{
  int value;

  g_return_val_if_fail (id != NULL, FALSE);

  if (!md_enum_from_nick (MD_TYPE_CHECK_ID, str, &value))
    return FALSE;

  *id = value;
  return TRUE;
}

const char *
md_check_status_to_string (MdCheckStatus status)
{
  return md_enum_to_nick (MD_TYPE_CHECK_STATUS, status);
}

gboolean
md_check_status_from_string (const char    *str,
                             MdCheckStatus *status)
{
  int value;

  g_return_val_if_fail (status != NULL, FALSE);

  if (!md_enum_from_nick (MD_TYPE_CHECK_STATUS, str, &value))
    return FALSE;

  *status = value;
  return TRUE;
}

/**
 * md_check_status_to_symbol:
 * @unicode: whether symbols outside ASCII may be used
 *
 * Returns: a short mark for @status, for lists on a terminal or in text
 */
const char *
md_check_status_to_symbol (MdCheckStatus status,
                           gboolean      unicode)
{
  switch (status)
    {
    case MD_CHECK_STATUS_PASS:  return unicode ? "✓" : "ok";
    case MD_CHECK_STATUS_WARN:  return unicode ? "⚠" : "!!";
    case MD_CHECK_STATUS_FAIL:  return unicode ? "✗" : "XX";
    case MD_CHECK_STATUS_SKIP:  return unicode ? "–" : "--";
    case MD_CHECK_STATUS_ERROR:
    default:                    return "??";
    }
}

/**
 * md_check_list_find:
 * @checks: (element-type MdCheck): the checks of a run or a report
 *
 * Returns: (transfer none) (nullable): the check with @id
 */
MdCheck *
md_check_list_find (GListModel *checks,
                    MdCheckId   id)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (checks), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (checks, i);

      if (md_check_get_id (check) == id)
        return check;
    }

  return NULL;
}
