/* md-report.c: what a diagnosis found, to save, paste or show
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Redaction is structural: a report copies the account's settings field by
 * field, and has no field that could hold the password.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "md-account.h"
#include "md-report.h"

struct _MdReport
{
  GObject       parent_instance;

  char         *email;
  char         *host;
  guint         port;
  MdSecurity    security;
  char         *username;

  GListStore   *checks;
  MdTranscript *transcript;
};

G_DEFINE_FINAL_TYPE (MdReport, md_report, G_TYPE_OBJECT)

static void
md_report_finalize (GObject *object)
{
  MdReport *self = (MdReport *)object;

  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_object (&self->checks);
  g_clear_object (&self->transcript);

  G_OBJECT_CLASS (md_report_parent_class)->finalize (object);
}

static void
md_report_class_init (MdReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_report_finalize;
}

static void
md_report_init (MdReport *self)
{
  self->checks = g_list_store_new (MD_TYPE_CHECK);
}

MdReport *
md_report_new_from_diagnosis (MdDiagnosis *diagnosis)
{
  MdReport *self;
  MdAccount *account;
  GListModel *checks;

  g_return_val_if_fail (MD_IS_DIAGNOSIS (diagnosis), NULL);

  self = g_object_new (MD_TYPE_REPORT, NULL);
  account = md_diagnosis_get_account (diagnosis);

  self->email = g_strdup (md_account_get_email (account));
  self->host = g_strdup (md_account_get_host (account));
  self->port = md_account_get_effective_port (account);
  self->security = md_account_get_security (account);
  self->username = g_strdup (md_account_get_effective_username (account));
  self->transcript = g_object_ref (md_diagnosis_get_transcript (diagnosis));

  checks = md_diagnosis_get_checks (diagnosis);
  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (checks, i);

      g_list_store_append (self->checks, check);
    }

  return self;
}

GListModel *
md_report_get_checks (MdReport *self)
{
  g_return_val_if_fail (MD_IS_REPORT (self), NULL);

  return G_LIST_MODEL (self->checks);
}

guint
md_report_count_status (MdReport      *self,
                        MdCheckStatus  status)
{
  guint count = 0;

  g_return_val_if_fail (MD_IS_REPORT (self), 0);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->checks)); i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      count += md_check_get_status (check) == status;
    }

  return count;
}

/* JSON */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_account (MdReport    *self,
             JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "account");
  json_builder_begin_object (builder);
  add_string (builder, "email", self->email);
  add_string (builder, "host", self->host);
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, self->port);
  add_string (builder, "security", md_security_to_string (self->security));
  add_string (builder, "username", self->username);
  json_builder_end_object (builder);
}

static void
add_check (JsonBuilder *builder,
           MdCheck     *check)
{
  g_auto(GStrv) keys = md_check_dup_evidence_keys (check);

  json_builder_begin_object (builder);
  add_string (builder, "id", md_check_get_id_string (check));
  add_string (builder, "status", md_check_status_to_string (md_check_get_status (check)));
  add_string (builder, "summary", md_check_get_summary (check));
  add_string (builder, "detail", md_check_get_detail (check));

  json_builder_set_member_name (builder, "evidence");
  json_builder_begin_object (builder);
  for (guint i = 0; keys[i] != NULL; i++)
    add_string (builder, keys[i], md_check_get_evidence (check, keys[i]));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "duration_ms");
  json_builder_add_int_value (builder, md_check_get_duration_ms (check));
  json_builder_end_object (builder);
}

static void
add_transcript (MdReport    *self,
                JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "transcript");
  json_builder_begin_array (builder);

  for (guint i = 0; i < md_transcript_get_length (self->transcript); i++)
    {
      MdDirection direction;
      guint t_ms;
      const char *text = md_transcript_get_text (self->transcript, i, &direction, &t_ms);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "t_ms");
      json_builder_add_int_value (builder, t_ms);
      add_string (builder, "dir", direction == MD_DIRECTION_CLIENT ? "C" : "S");
      add_string (builder, "text", text);
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
}

/**
 * md_report_to_json:
 *
 * Returns: (transfer full): the report in the design's format, version 1
 */
char *
md_report_to_json (MdReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (MD_IS_REPORT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, MD_REPORT_VERSION);
  add_account (self, builder);

  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->checks)); i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      add_check (builder, check);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "fixes");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);

  add_transcript (self, builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}

/* Text */

static void
append_headline (MdReport *self,
                 GString  *out)
{
  guint failed = md_report_count_status (self, MD_CHECK_STATUS_FAIL);
  guint warned = md_report_count_status (self, MD_CHECK_STATUS_WARN);

  g_string_append_printf (out, _("Mail Doctor: %s, port %u\n"),
                          self->host != NULL ? self->host : self->email, self->port);

  if (failed > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "We found %u problem.\n",
                                              "We found %u problems.\n", failed), failed);
  else if (warned > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              "No problem found, %u thing to know.\n",
                                              "No problem found, %u things to know.\n",
                                              warned), warned);
  else
    g_string_append (out, _("Your settings work.\n"));
}

static void
append_problems (MdReport *self,
                 GString  *out,
                 gboolean  unicode)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->checks)); i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      if (md_check_get_status (check) != MD_CHECK_STATUS_FAIL)
        continue;

      g_string_append_printf (out, "\n%s %s\n",
                              md_check_status_to_symbol (MD_CHECK_STATUS_FAIL, unicode),
                              md_check_get_summary (check));
    }
}

static void
append_checks (MdReport *self,
               GString  *out,
               gboolean  unicode)
{
  g_string_append_printf (out, "\n%s\n", _("All checks:"));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->checks)); i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);
      const char *code = md_check_get_evidence (check, "code");
      MdCheckStatus status = md_check_get_status (check);

      g_string_append_printf (out, "  %-2s %-17s %s", md_check_status_to_symbol (status, unicode),
                              md_check_get_id_string (check), md_check_get_summary (check));
      if (code != NULL && status != MD_CHECK_STATUS_PASS)
        {
          const char *enhanced = md_check_get_evidence (check, "enhanced_code");

          g_string_append_printf (out, " [%s%s%s]", code, enhanced ? " " : "",
                                  enhanced ? enhanced : "");
        }
      g_string_append_c (out, '\n');
    }
}

static void
append_transcript (MdReport *self,
                   GString  *out)
{
  if (md_transcript_get_length (self->transcript) == 0)
    return;

  g_string_append_printf (out, "\n%s\n", _("Conversation with the server:"));

  for (guint i = 0; i < md_transcript_get_length (self->transcript); i++)
    {
      MdDirection direction;
      guint t_ms;
      const char *text = md_transcript_get_text (self->transcript, i, &direction, &t_ms);

      g_string_append_printf (out, "  %6u ms %s %s\n", t_ms,
                              direction == MD_DIRECTION_CLIENT ? "C:" : "S:", text);
    }
}

/**
 * md_report_to_text:
 * @unicode: whether to use symbols outside ASCII
 *
 * Returns: (transfer full): the report as plain text: the short answer
 *   first, then the evidence a helpdesk needs pasted in a ticket
 */
char *
md_report_to_text (MdReport *self,
                   gboolean  unicode)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (MD_IS_REPORT (self), NULL);

  append_headline (self, out);
  append_problems (self, out, unicode);
  append_checks (self, out, unicode);
  append_transcript (self, out);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
