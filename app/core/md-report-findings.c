/* md-report-findings.c: a report's findings and fix plan, in JSON and text
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fixes are saved whole, with the steps for every mail program, so that a
 * helpdesk opening the report walks Sam through the same steps Sam sees.
 * A report read back comes from strangers: each finding is checked and its
 * texts cleaned like the rest of the report.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-check.h"
#include "md-finding.h"
#include "md-fix-private.h"
#include "md-report-private.h"

static void
add_strv (JsonBuilder        *builder,
          const char         *name,
          const char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
write_finding (JsonBuilder *builder,
               MdFinding   *finding)
{
  json_builder_begin_object (builder);
  _md_report_add_string (builder, "cause", md_cause_to_string (md_finding_get_cause (finding)));
  _md_report_add_string (builder, "title", md_finding_get_title (finding));
  json_builder_set_member_name (builder, "confidence");
  json_builder_add_double_value (builder, md_finding_get_confidence (finding));
  add_strv (builder, "checks", md_finding_get_checks (finding));
  _md_report_add_string (builder, "explanation", md_finding_get_explanation (finding));
  add_strv (builder, "fixes", md_finding_get_fixes (finding));
  json_builder_end_object (builder);
}

void
_md_report_write_findings (MdReport    *self,
                           JsonBuilder *builder)
{
  GListModel *findings = G_LIST_MODEL (self->findings);

  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(MdFinding) finding = g_list_model_get_item (findings, i);

      write_finding (builder, finding);
    }
  json_builder_end_array (builder);
}

void
_md_report_write_fixes (MdReport    *self,
                        JsonBuilder *builder)
{
  GListModel *fixes = G_LIST_MODEL (self->fixes);

  json_builder_set_member_name (builder, "fixes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (fixes); i++)
    {
      g_autoptr(MdFix) fix = g_list_model_get_item (fixes, i);

      _md_fix_to_json (fix, builder);
    }
  json_builder_end_array (builder);
}

/* Reading */

static gboolean
get_confidence (JsonObject  *object,
                const char  *where,
                double      *confidence,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, "confidence");
  GType type;

  *confidence = 0.0;
  if (_md_report_is_absent (node))
    return TRUE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return _md_report_set_damaged (error, where, "confidence", _("is not a number"));

  *confidence = json_node_get_double (node);
  if (!(*confidence >= 0.0 && *confidence <= 1.0))
    return _md_report_set_damaged (error, where, "confidence", _("is out of range"));

  return TRUE;
}

/* The ids a finding names are checked against @valid, so that a file cannot
 * slip arbitrary text in where an id belongs. */
typedef gboolean (*IdCheck) (const char *id);

static gboolean
is_check_id (const char *id)
{
  MdCheckId unused;

  return md_check_id_from_string (id, &unused);
}

static gboolean
read_ids (JsonObject  *object,
          const char  *name,
          const char  *where,
          IdCheck      valid,
          MdFinding   *finding,
          void       (*add) (MdFinding *, const char *),
          GError     **error)
{
  JsonNode *node;
  JsonArray *array;

  if (!_md_report_get_container (object, name, where, JSON_NODE_ARRAY, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *id;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return _md_report_set_damaged (error, where, name, _("is not a list of names"));

      id = json_node_get_string (element);
      if (!valid (id))
        return _md_report_set_damaged (error, where, name, _("names something we do not know"));

      add (finding, id);
    }

  return TRUE;
}

static MdFinding *
read_finding (JsonNode    *node,
              const char  *where,
              GError     **error)
{
  g_autoptr(MdFinding) finding = NULL;
  g_autofree char *clean = NULL;
  const char *cause_id, *explanation;
  JsonObject *object;
  double confidence;
  MdCause cause;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _md_report_set_damaged (error, where, "{}", _("is missing"));
      return NULL;
    }

  object = json_node_get_object (node);
  if (!_md_report_get_required_string (object, "cause", where, &cause_id, error) ||
      !_md_report_get_string (object, "explanation", where, &explanation, error) ||
      !get_confidence (object, where, &confidence, error))
    return NULL;

  if (!md_cause_from_string (cause_id, &cause))
    {
      _md_report_set_damaged (error, where, cause_id, _("is not a cause we know"));
      return NULL;
    }

  /* The title comes from the cause, in the reader's language. */
  clean = _md_report_clean_text (explanation != NULL ? explanation : "");
  finding = md_finding_new (cause, confidence, clean);
  if (!read_ids (object, "checks", where, is_check_id, finding, md_finding_add_check, error) ||
      !read_ids (object, "fixes", where, _md_fix_is_id, finding, md_finding_add_fix, error))
    return NULL;

  return g_steal_pointer (&finding);
}

gboolean
_md_report_read_findings (MdReport    *self,
                          JsonObject  *root,
                          GError     **error)
{
  JsonNode *node;
  JsonArray *array;

  if (!_md_report_get_container (root, "findings", _("the report"), JSON_NODE_ARRAY, &node,
                                 error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf (_("finding %u"), i + 1);
      g_autoptr(MdFinding) finding = read_finding (json_array_get_element (array, i), where,
                                                   error);

      if (finding == NULL)
        return FALSE;

      g_list_store_append (self->findings, finding);
    }

  return TRUE;
}

gboolean
_md_report_read_fixes (MdReport    *self,
                       JsonObject  *root,
                       GError     **error)
{
  MdDataPlace place = { _("This report is damaged"), _("the report’s fixes"), 0, NULL, 0 };
  g_autoptr(GListModel) fixes = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *node;

  if (!_md_report_get_container (root, "fixes", _("the report"), JSON_NODE_ARRAY, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  /* The fix parser checks the entries as strictly as the built-in
   * catalogue; its error names the entry. */
  fixes = _md_fix_list_from_json (json_node_get_array (node), &place, &local_error);
  if (fixes == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, local_error->message);
      return FALSE;
    }

  for (guint i = 0; i < g_list_model_get_n_items (fixes); i++)
    {
      g_autoptr(MdFix) fix = g_list_model_get_item (fixes, i);

      g_list_store_append (self->fixes, fix);
    }

  return TRUE;
}

/* The verdict is written for readers of the file (a helpdesk, a script);
 * reading a report derives it again from the findings and checks, so that
 * a file cannot claim an answer they do not give. */
static void
write_notes (JsonBuilder *builder,
             const char  *name,
             GPtrArray   *notes,
             const char  *id_name)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < notes->len; i++)
    {
      const MdVerdictNote *note = notes->pdata[i];

      json_builder_begin_object (builder);
      _md_report_add_string (builder, id_name, note->id);
      if (note->title != NULL)
        _md_report_add_string (builder, "title", note->title);
      _md_report_add_string (builder, "text", note->text);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

void
_md_report_write_verdict (MdReport    *self,
                          JsonBuilder *builder)
{
  MdVerdict *verdict = md_report_get_verdict (self);
  MdVerdictState state = md_verdict_get_state (verdict);

  json_builder_set_member_name (builder, "verdict");
  json_builder_begin_object (builder);
  _md_report_add_string (builder, "state", md_verdict_state_to_string (state));
  _md_report_add_string (builder, "cause",
                         state == MD_VERDICT_STATE_WORKS_NOW
                         ? NULL : md_cause_to_string (md_verdict_get_cause (verdict)));
  json_builder_set_member_name (builder, "confidence");
  json_builder_add_double_value (builder, md_verdict_get_confidence (verdict));
  _md_report_add_string (builder, "title", md_verdict_get_title (verdict));
  _md_report_add_string (builder, "explanation", md_verdict_get_explanation (verdict));
  write_notes (builder, "evidence", md_verdict_get_evidence (verdict), "check");
  write_notes (builder, "also_noticed", md_verdict_get_also_noticed (verdict), "id");
  json_builder_end_object (builder);
}

/* Text */

/* The verdict first: its title, why, how sure, then what was only
 * noticed. The findings behind it are not listed again: they would show
 * the candidates it set aside beside the answer. */
void
_md_report_append_verdict_text (MdReport *self,
                                GString  *out)
{
  MdVerdict *verdict = md_report_get_verdict (self);
  GPtrArray *evidence = md_verdict_get_evidence (verdict);
  GPtrArray *also = md_verdict_get_also_noticed (verdict);
  const char *certainty = md_verdict_get_certainty (verdict);

  g_string_append_printf (out, "%s\n%s\n", md_verdict_get_title (verdict),
                          md_verdict_get_explanation (verdict));
  if (certainty != NULL)
    /* Translators: followed by "Very likely", "Likely" or "Possibly". */
    g_string_append_printf (out, "%s %s\n", _("How sure:"), certainty);

  if (evidence->len > 0)
    g_string_append_printf (out, "\n%s\n", _("Why:"));
  for (guint i = 0; i < evidence->len; i++)
    {
      const MdVerdictNote *note = evidence->pdata[i];

      g_string_append_printf (out, "  - %s (%s)\n", note->text, note->id);
    }

  if (also->len > 0)
    g_string_append_printf (out, "\n%s\n", _("Also noticed:"));
  for (guint i = 0; i < also->len; i++)
    {
      const MdVerdictNote *note = also->pdata[i];

      g_string_append_printf (out, "  - %s: %s\n", note->title, note->text);
    }
}

void
_md_report_append_fixes_text (MdReport *self,
                              GString  *out)
{
  GListModel *fixes = G_LIST_MODEL (self->fixes);
  guint n_fixes = g_list_model_get_n_items (fixes);

  if (n_fixes == 0)
    return;

  g_string_append_printf (out, "\n%s\n", _("What to do, in this order:"));
  for (guint i = 0; i < n_fixes; i++)
    {
      g_autoptr(MdFix) fix = g_list_model_get_item (fixes, i);
      g_auto(GStrv) steps = md_fix_dup_steps (fix, NULL);

      g_string_append_printf (out, "\n%u. %s\n   %s\n", i + 1, md_fix_get_title (fix),
                              md_fix_get_why (fix));
      for (guint j = 0; steps[j] != NULL; j++)
        g_string_append_printf (out, "   %u) %s\n", j + 1, steps[j]);
    }
}

static void
append_evidence_lines (MdReport *self,
                       GString  *out)
{
  GListModel *checks = G_LIST_MODEL (self->checks);

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (checks, i);
      MdCheckStatus status = md_check_get_status (check);
      const char *code = md_check_get_evidence (check, "code");
      const char *text = md_check_get_evidence (check, "text");

      if (status != MD_CHECK_STATUS_FAIL && status != MD_CHECK_STATUS_WARN)
        continue;

      g_string_append_printf (out, "- %s: %s\n", md_check_get_id_string (check),
                              md_check_get_summary (check));
      /* The reply once: a pasted one already starts with its code. */
      if (code != NULL && text != NULL && g_str_has_prefix (text, code))
        g_string_append_printf (out, "  %s %s\n", _("Server reply:"), text);
      else if (code != NULL)
        g_string_append_printf (out, "  %s %s %s\n", _("Server reply:"), code,
                                text != NULL ? text : "");
    }
}

/**
 * md_report_to_provider_message:
 *
 * Returns: (transfer full): a message the user can send to their mail
 *   provider's support: what fails, what Mail Doctor found, the evidence
 */
char *
md_report_to_provider_message (MdReport *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M %Z");
  MdVerdict *verdict;

  g_return_val_if_fail (MD_IS_REPORT (self), NULL);

  verdict = md_report_get_verdict (self);
  g_string_append_printf (out, "%s\n\n", _("Hello,"));
  g_string_append_printf (out, _("I cannot send email from %s through %s (port %u). My mail "
                                 "program reports error 421. I checked the connection with "
                                 "Mail Doctor on %s."),
                          self->email != NULL ? self->email : _("my address"),
                          self->host != NULL ? self->host : _("your server"), self->port, when);
  g_string_append (out, "\n\n");

  /* The verdict's cause only: never one it set aside. */
  g_string_append_printf (out, "%s\n- %s: %s\n", _("What it found:"),
                          md_verdict_get_title (verdict), md_verdict_get_explanation (verdict));

  g_string_append_printf (out, "\n%s\n", _("The details:"));
  append_evidence_lines (self, out);
  g_string_append_printf (out, "\n%s\n\n%s\n",
                          _("Could you tell me what is wrong, and what I should change?"),
                          _("Thank you."));

  return g_string_free (g_steal_pointer (&out), FALSE);
}
