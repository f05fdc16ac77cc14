/* md-finding.c: one cause of the 421, as a diagnosis concludes it
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A finding is what the user reads first, so it carries its own plain
 * title; the checks it names are the evidence one click away, and its fixes
 * feed the fix plan.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-enums.h"
#include "md-finding.h"

struct _MdFinding
{
  GObject    parent_instance;

  MdCause    cause;
  double     confidence;
  char      *explanation;
  GPtrArray *checks;
  GPtrArray *fixes;
};

G_DEFINE_FINAL_TYPE (MdFinding, md_finding, G_TYPE_OBJECT)

static void
md_finding_finalize (GObject *object)
{
  MdFinding *self = (MdFinding *)object;

  g_clear_pointer (&self->explanation, g_free);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->fixes, g_ptr_array_unref);

  G_OBJECT_CLASS (md_finding_parent_class)->finalize (object);
}

static void
md_finding_class_init (MdFindingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_finding_finalize;
}

/* NULL-terminated, so that the getters can hand out a strv. */
static GPtrArray *
new_strv_array (void)
{
  return g_ptr_array_new_null_terminated (4, g_free, TRUE);
}

static void
md_finding_init (MdFinding *self)
{
  self->checks = new_strv_array ();
  self->fixes = new_strv_array ();
}

/**
 * md_finding_new:
 * @confidence: 0 (a guess) .. 1 (certain)
 * @explanation: plain words, already translated
 */
MdFinding *
md_finding_new (MdCause     cause,
                double      confidence,
                const char *explanation)
{
  MdFinding *self;

  g_return_val_if_fail (explanation != NULL, NULL);

  self = g_object_new (MD_TYPE_FINDING, NULL);
  self->cause = cause;
  self->confidence = CLAMP (confidence, 0.0, 1.0);
  self->explanation = g_strdup (explanation);

  return self;
}

MdCause
md_finding_get_cause (MdFinding *self)
{
  g_return_val_if_fail (MD_IS_FINDING (self), MD_CAUSE_UNKNOWN);

  return self->cause;
}

const char *
md_finding_get_title (MdFinding *self)
{
  g_return_val_if_fail (MD_IS_FINDING (self), NULL);

  return md_cause_get_title (self->cause);
}

double
md_finding_get_confidence (MdFinding *self)
{
  g_return_val_if_fail (MD_IS_FINDING (self), 0.0);

  return self->confidence;
}

const char *
md_finding_get_explanation (MdFinding *self)
{
  g_return_val_if_fail (MD_IS_FINDING (self), NULL);

  return self->explanation;
}

const char * const *
md_finding_get_checks (MdFinding *self)
{
  g_return_val_if_fail (MD_IS_FINDING (self), NULL);

  return (const char * const *)self->checks->pdata;
}

static void
add_unique (GPtrArray  *array,
            const char *value)
{
  if (!g_ptr_array_find_with_equal_func (array, value, g_str_equal, NULL))
    g_ptr_array_add (array, g_strdup (value));
}

void
md_finding_add_check (MdFinding  *self,
                      const char *check_id)
{
  g_return_if_fail (MD_IS_FINDING (self));
  g_return_if_fail (check_id != NULL);

  add_unique (self->checks, check_id);
}

const char * const *
md_finding_get_fixes (MdFinding *self)
{
  g_return_val_if_fail (MD_IS_FINDING (self), NULL);

  return (const char * const *)self->fixes->pdata;
}

void
md_finding_add_fix (MdFinding  *self,
                    const char *fix_id)
{
  g_return_if_fail (MD_IS_FINDING (self));
  g_return_if_fail (fix_id != NULL);

  add_unique (self->fixes, fix_id);
}

const char *
md_cause_to_string (MdCause cause)
{
  return md_enum_to_nick (MD_TYPE_CAUSE, cause);
}

gboolean
md_cause_from_string (const char *str,
                      MdCause    *cause)
{
  int value;

  g_return_val_if_fail (cause != NULL, FALSE);

  if (!md_enum_from_nick (MD_TYPE_CAUSE, str, &value))
    return FALSE;

  *cause = value;
  return TRUE;
}

/**
 * md_cause_get_title:
 *
 * Returns: a short, translated title for @cause, in plain words
 */
const char *
md_cause_get_title (MdCause cause)
{
  switch (cause)
    {
    case MD_CAUSE_SERVER_BUSY:
      return _("The mail server is too busy");
    case MD_CAUSE_RATE_LIMITED:
      return _("Your provider is limiting how fast you send");
    case MD_CAUSE_BLOCKLISTED:
      return _("Your connection is on a spam blocklist");
    case MD_CAUSE_SETTINGS_WRONG:
      return _("Your mail program’s settings are wrong");
    case MD_CAUSE_AUTH_FAILED:
      return _("The server does not accept your password");
    case MD_CAUSE_TLS_PROBLEM:
      return _("The secure connection has a problem");
    case MD_CAUSE_NETWORK_BLOCKED:
      return _("Your network blocks the connection");
    case MD_CAUSE_SERVER_DOWN:
      return _("The mail server is not answering");
    case MD_CAUSE_MESSAGE_TOO_LARGE:
      return _("Your message is too large");
    case MD_CAUSE_SPAM_SUSPECTED:
      return _("The server suspects spam");
    case MD_CAUSE_SENDER_AUTH_MISSING:
      return _("Your domain does not prove that its mail is genuine");
    case MD_CAUSE_UNKNOWN:
    default:
      return _("Something unexpected went wrong");
    }
}
