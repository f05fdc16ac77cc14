/* md-types.c: the nicks of the design's enums
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The nicks of the enums (md-types.h and the other headers glib-mkenums
 * reads) are the ids of the design's JSON, CLI and reports; these two
 * helpers are the one way to go between a value and its nick.
 */

#include "md-types.h"

/**
 * md_enum_to_nick:
 * @type: a registered enum type
 * @value: one of its values
 *
 * Returns: (nullable): the nick of @value, or %NULL if @type has no such
 *   value. Classes of static types live forever, so the nick outlives the
 *   class reference taken here.
 */
const char *
md_enum_to_nick (GType type,
                 int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  return enum_value != NULL ? enum_value->value_nick : NULL;
}

/**
 * md_enum_from_nick:
 * @type: a registered enum type
 * @nick: (nullable): a nick
 * @value: (out): where the value goes
 *
 * Returns: %TRUE if @nick names a value of @type; @value is untouched
 *   otherwise
 */
gboolean
md_enum_from_nick (GType       type,
                   const char *nick,
                   int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *enum_value;

  g_return_val_if_fail (value != NULL, FALSE);

  if (nick == NULL)
    return FALSE;

  klass = g_type_class_ref (type);
  enum_value = g_enum_get_value_by_nick (klass, nick);
  if (enum_value == NULL)
    return FALSE;

  *value = enum_value->value;
  return TRUE;
}
