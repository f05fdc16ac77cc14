/* md-report.c: what a diagnosis found, to save, paste or show
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Redaction is structural: a report copies the account's settings field by
 * field, and has no field that could hold the password. A report read back
 * from a file also comes from strangers (a user sends it to a helpdesk), so
 * reading it is bounded and every string it shows is made harmless first.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "md-account.h"
#include "md-finding.h"
#include "md-fix.h"
#include "md-report-private.h"


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
  g_clear_object (&self->findings);
  g_clear_object (&self->fixes);
  g_clear_object (&self->verdict);

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
  self->findings = g_list_store_new (MD_TYPE_FINDING);
  self->fixes = g_list_store_new (MD_TYPE_FIX);
}

static void
copy_items (GListStore *store,
            GListModel *items)
{
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (items, i);

      g_list_store_append (store, item);
    }
}

MdReport *
md_report_new_from_diagnosis (MdDiagnosis *diagnosis)
{
  MdReport *self;
  MdAccount *account;

  g_return_val_if_fail (MD_IS_DIAGNOSIS (diagnosis), NULL);

  self = g_object_new (MD_TYPE_REPORT, NULL);
  account = md_diagnosis_get_account (diagnosis);

  self->email = g_strdup (md_account_get_email (account));
  self->host = g_strdup (md_account_get_host (account));
  self->port = md_account_get_effective_port (account);
  self->security = md_account_get_security (account);
  self->username = g_strdup (md_account_get_effective_username (account));
  self->transcript = g_object_ref (md_diagnosis_get_transcript (diagnosis));

  copy_items (self->checks, md_diagnosis_get_checks (diagnosis));
  copy_items (self->findings, md_diagnosis_get_findings (diagnosis));
  copy_items (self->fixes, md_diagnosis_get_fixes (diagnosis));

  return self;
}

/**
 * md_report_get_findings:
 *
 * Returns: (transfer none): the findings (MdFinding), most important first
 */
GListModel *
md_report_get_findings (MdReport *self)
{
  g_return_val_if_fail (MD_IS_REPORT (self), NULL);

  return G_LIST_MODEL (self->findings);
}

/**
 * md_report_get_fixes:
 *
 * Returns: (transfer none): the fix plan (MdFix), in the order to try
 */
GListModel *
md_report_get_fixes (MdReport *self)
{
  g_return_val_if_fail (MD_IS_REPORT (self), NULL);

  return G_LIST_MODEL (self->fixes);
}

/**
 * md_report_get_verdict:
 *
 * Returns: (transfer none): the verdict of the report's findings and checks
 */
MdVerdict *
md_report_get_verdict (MdReport *self)
{
  g_return_val_if_fail (MD_IS_REPORT (self), NULL);

  if (self->verdict == NULL)
    self->verdict = md_verdict_new (G_LIST_MODEL (self->findings), G_LIST_MODEL (self->checks));

  return self->verdict;
}

MdTranscript *
md_report_get_transcript (MdReport *self)
{
  g_return_val_if_fail (MD_IS_REPORT (self), NULL);

  return self->transcript;
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

void
_md_report_add_string (JsonBuilder *builder,
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
  _md_report_add_string (builder, "email", self->email);
  _md_report_add_string (builder, "host", self->host);
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, self->port);
  _md_report_add_string (builder, "security", md_security_to_string (self->security));
  _md_report_add_string (builder, "username", self->username);
  json_builder_end_object (builder);
}

static void
add_check (JsonBuilder *builder,
           MdCheck     *check)
{
  g_auto(GStrv) keys = md_check_dup_evidence_keys (check);

  json_builder_begin_object (builder);
  _md_report_add_string (builder, "id", md_check_get_id_string (check));
  _md_report_add_string (builder, "status",
                         md_check_status_to_string (md_check_get_status (check)));
  _md_report_add_string (builder, "summary", md_check_get_summary (check));
  _md_report_add_string (builder, "detail", md_check_get_detail (check));

  json_builder_set_member_name (builder, "evidence");
  json_builder_begin_object (builder);
  for (guint i = 0; keys[i] != NULL; i++)
    _md_report_add_string (builder, keys[i], md_check_get_evidence (check, keys[i]));
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
      _md_report_add_string (builder, "dir", direction == MD_DIRECTION_CLIENT ? "C" : "S");
      _md_report_add_string (builder, "text", text);
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
  _md_report_write_verdict (self, builder);

  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->checks)); i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      add_check (builder, check);
    }
  json_builder_end_array (builder);

  _md_report_write_findings (self, builder);
  _md_report_write_fixes (self, builder);

  add_transcript (self, builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}

/* Reading JSON */

/* json-glib parses nested arrays and objects by recursion, so a few
 * megabytes of "[" would exhaust the stack; a report nests five deep. */
#define MAX_DEPTH 32

typedef enum
{
  SHAPE_OK,
  SHAPE_TOO_DEEP,
  SHAPE_NOT_A_REPORT,
} Shape;

/* At a backslash in a string: steps over the escape if JSON allows it
 * (\" \\ \/ \b \f \n \r \t, or \u and four hex digits). */
static gboolean
skip_escape (const char *json,
             gsize       length,
             gsize      *i)
{
  char e;

  if (*i + 1 >= length)
    return FALSE;

  e = json[++*i];
  if (e == 'u')
    {
      for (guint k = 1; k <= 4; k++)
        if (*i + k >= length || !g_ascii_isxdigit (json[*i + k]))
          return FALSE;
      *i += 4;
      return TRUE;
    }

  return e != '\0' && strchr ("\"\\/bfnrt", e) != NULL;
}

/* What json-glib is not shown: a report is one strict JSON object. The
 * scan must see strings as the parser will, or it would count brackets
 * the parser does not; json-glib also takes single-quoted strings and
 * comments, which strict JSON never has outside a string, so those are
 * refused here rather than modelled. json-glib 1.6 also takes a second
 * value after the first (and leaks it): nothing may follow the object. */
static Shape
report_shape (const char *json,
              gsize       length)
{
  guint depth = 0;
  gboolean in_string = FALSE;
  gsize i = 0;

  while (i < length && g_ascii_isspace (json[i]))
    i++;
  if (i == length || json[i] != '{')
    return SHAPE_NOT_A_REPORT;

  for (; i < length; i++)
    {
      char c = json[i];

      /* Strings by the JSON grammar exactly: json-glib's scanner is more
       * lenient (octal escapes, a \u with fewer digits, raw control
       * characters), and where the two read a string differently this
       * count would be off, and a second value after the object could
       * pass unseen. */
      if (in_string)
        {
          if ((guchar) c < 0x20)
            return SHAPE_NOT_A_REPORT;
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\' && !skip_escape (json, length, &i))
            return SHAPE_NOT_A_REPORT;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '\'' || c == '/' || c == '#')
        return SHAPE_NOT_A_REPORT;
      else if ((c == '[' || c == '{') && ++depth > MAX_DEPTH)
        return SHAPE_TOO_DEEP;
      else if ((c == ']' || c == '}') && depth > 0 && --depth == 0)
        break;
    }

  /* After the object, only white space. */
  for (i++; i < length; i++)
    if (!g_ascii_isspace (json[i]))
      return SHAPE_NOT_A_REPORT;

  return SHAPE_OK;
}

gboolean
_md_report_set_damaged (GError     **error,
                        const char  *where,
                        const char  *name,
                        const char  *problem)
{
  /* Translators: “In check 3, “status” is not one we know.” The name may
   * be a value from the file: md_report_new_from_json() cleans the whole
   * message. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("This report is damaged. In %s, “%s” %s."), where, name, problem);
  return FALSE;
}

/* The report is written for people to read, so a member that is not
 * needed may be missing or null. */
gboolean
_md_report_is_absent (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

gboolean
_md_report_get_string (JsonObject  *object,
                       const char  *name,
                       const char  *where,
                       const char **value,
                       GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (_md_report_is_absent (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return _md_report_set_damaged (error, where, name, _("is not text"));

  *value = json_node_get_string (node);
  return TRUE;
}

gboolean
_md_report_get_required_string (JsonObject  *object,
                                const char  *name,
                                const char  *where,
                                const char **value,
                                GError     **error)
{
  if (!_md_report_get_string (object, name, where, value, error))
    return FALSE;

  if (*value == NULL)
    return _md_report_set_damaged (error, where, name, _("is missing"));

  return TRUE;
}

static gboolean
get_uint (JsonObject  *object,
          const char  *name,
          const char  *where,
          guint        max,
          guint       *value,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 number;

  *value = 0;
  if (_md_report_is_absent (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return _md_report_set_damaged (error, where, name, _("is not a whole number"));

  number = json_node_get_int (node);
  if (number < 0 || number > max)
    return _md_report_set_damaged (error, where, name, _("is out of range"));

  *value = (guint)number;
  return TRUE;
}

gboolean
_md_report_get_container (JsonObject  *object,
                          const char  *name,
                          const char  *where,
                          JsonNodeType type,
                          JsonNode   **value,
                          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (_md_report_is_absent (node))
    return TRUE;

  if (JSON_NODE_TYPE (node) != type)
    return _md_report_set_damaged (error, where, name,
                                   type == JSON_NODE_ARRAY ? _("is not a list")
                                                           : _("is not a group"));

  *value = node;
  return TRUE;
}

/* Strings from a file may carry terminal escapes or broken UTF-8; lines
 * are cleaned one by one so that a detail keeps its line breaks. */
char *
_md_report_clean_text (const char *text)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return NULL;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = md_transcript_sanitize (lines[i], -1);

      g_free (lines[i]);
      lines[i] = line;
    }

  return g_strjoinv ("\n", lines);
}

/* Structural redaction, for what is kept as read: a member called
 * "password" anywhere in the file is dropped before anything is kept. */
static void
drop_passwords (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        drop_passwords (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        {
          if (g_ascii_strcasecmp (l->data, "password") == 0)
            json_object_remove_member (object, l->data);
          else
            drop_passwords (json_object_get_member (object, l->data));
        }
    }
}

static gboolean
read_version (JsonObject  *root,
              GError     **error)
{
  guint version;

  if (!get_uint (root, "version", _("the report"), G_MAXUINT, &version, error))
    return FALSE;

  if (version == 0)
    return _md_report_set_damaged (error, _("the report"), "version", _("is missing"));

  if (version > MD_REPORT_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("This report was saved by a newer Mail Doctor (format %u). "
                     "Update Mail Doctor to open it."), version);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_account (MdReport    *self,
              JsonObject  *root,
              GError     **error)
{
  const char *where = _("the account");
  const char *email, *host, *security, *username;
  JsonNode *node;
  JsonObject *account;

  if (!_md_report_get_container (root, "account", _("the report"), JSON_NODE_OBJECT, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  account = json_node_get_object (node);
  if (!_md_report_get_string (account, "email", where, &email, error) ||
      !_md_report_get_string (account, "host", where, &host, error) ||
      !get_uint (account, "port", where, G_MAXUINT16, &self->port, error) ||
      !_md_report_get_string (account, "security", where, &security, error) ||
      !_md_report_get_string (account, "username", where, &username, error))
    return FALSE;

  if (security != NULL && !md_security_from_string (security, &self->security))
    return _md_report_set_damaged (error, where, "security", _("is not one we know"));

  self->email = _md_report_clean_text (email);
  self->host = _md_report_clean_text (host);
  self->username = _md_report_clean_text (username);
  return TRUE;
}

static gboolean
read_evidence (MdCheck     *check,
               JsonObject  *object,
               const char  *where,
               GError     **error)
{
  JsonNode *node;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (!_md_report_get_container (object, "evidence", where, JSON_NODE_OBJECT, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  /* The order of the evidence is the order a person reads it in. */
  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &key, &value))
    {
      g_autofree char *clean_key = NULL;
      g_autofree char *clean_value = NULL;

      if (_md_report_is_absent (value))
        continue;
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return _md_report_set_damaged (error, where, key, _("is not text"));

      clean_key = _md_report_clean_text (key);
      clean_value = _md_report_clean_text (json_node_get_string (value));
      md_check_set_evidence (check, clean_key, clean_value);
    }

  return TRUE;
}

static MdCheck *
read_check (JsonNode    *node,
            const char  *where,
            GError     **error)
{
  g_autoptr(MdCheck) check = NULL;
  g_autofree char *clean_summary = NULL;
  g_autofree char *clean_detail = NULL;
  const char *id, *status, *summary, *detail;
  MdCheckId check_id;
  MdCheckStatus check_status;
  JsonObject *object;
  guint duration_ms;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _md_report_set_damaged (error, where, "{}", _("is missing"));
      return NULL;
    }

  object = json_node_get_object (node);
  if (!_md_report_get_required_string (object, "id", where, &id, error) ||
      !_md_report_get_required_string (object, "status", where, &status, error) ||
      !_md_report_get_string (object, "summary", where, &summary, error) ||
      !_md_report_get_string (object, "detail", where, &detail, error) ||
      !get_uint (object, "duration_ms", where, G_MAXUINT, &duration_ms, error))
    return NULL;

  if (!md_check_id_from_string (id, &check_id))
    {
      _md_report_set_damaged (error, where, id, _("is not a check we know"));
      return NULL;
    }
  if (!md_check_status_from_string (status, &check_status))
    {
      _md_report_set_damaged (error, where, status, _("is not a result we know"));
      return NULL;
    }

  check = md_check_new (check_id);
  clean_summary = _md_report_clean_text (summary != NULL ? summary : "");
  clean_detail = _md_report_clean_text (detail);
  md_check_finish (check, check_status, clean_summary, clean_detail);
  md_check_set_duration_ms (check, duration_ms);

  if (!read_evidence (check, object, where, error))
    return NULL;

  return g_steal_pointer (&check);
}

static gboolean
read_checks (MdReport    *self,
             JsonObject  *root,
             GError     **error)
{
  JsonNode *node;
  JsonArray *array;

  if (!_md_report_get_container (root, "checks", _("the report"), JSON_NODE_ARRAY, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf (_("check %u"), i + 1);
      g_autoptr(MdCheck) check = read_check (json_array_get_element (array, i), where, error);

      if (check == NULL)
        return FALSE;

      g_list_store_append (self->checks, check);
    }

  return TRUE;
}

static gboolean
read_line (MdReport    *self,
           JsonNode    *node,
           const char  *where,
           GError     **error)
{
  const char *dir, *text;
  JsonObject *object;
  guint t_ms;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _md_report_set_damaged (error, where, "{}", _("is missing"));

  object = json_node_get_object (node);
  if (!get_uint (object, "t_ms", where, G_MAXUINT, &t_ms, error) ||
      !_md_report_get_required_string (object, "dir", where, &dir, error) ||
      !_md_report_get_string (object, "text", where, &text, error))
    return FALSE;

  if (!g_str_equal (dir, "C") && !g_str_equal (dir, "S"))
    return _md_report_set_damaged (error, where, "dir", _("is neither C nor S"));

  /* The transcript cleans each line itself. */
  md_transcript_add_at (self->transcript, t_ms,
                        dir[0] == 'C' ? MD_DIRECTION_CLIENT : MD_DIRECTION_SERVER, text);
  return TRUE;
}

static gboolean
read_transcript (MdReport    *self,
                 JsonObject  *root,
                 GError     **error)
{
  JsonNode *node;
  JsonArray *array;

  if (!_md_report_get_container (root, "transcript", _("the report"), JSON_NODE_ARRAY, &node,
                                 error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf (_("line %u of the conversation"), i + 1);

      if (!read_line (self, json_array_get_element (array, i), where, error))
        return FALSE;
    }

  return TRUE;
}

static JsonNode *
parse_document (const char  *json,
                gsize        length,
                JsonParser  *parser,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (length > MD_REPORT_MAX_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("This file is too large to be a Mail Doctor report."));
      return NULL;
    }

  switch (report_shape (json, length))
    {
    case SHAPE_TOO_DEEP:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This file is not a Mail Doctor report: it is nested too deeply."));
      return NULL;
    case SHAPE_NOT_A_REPORT:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This file is not a Mail Doctor report: it is cut short, or it is "
                     "another kind of file."));
      return NULL;
    case SHAPE_OK:
    default:
      break;
    }

  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      /* json-glib's words ("<data>:1:26: Parse error: unexpected end of
       * file…") are for programmers; the user needs to know the file is
       * cut short or is something else. */
      g_debug ("Report parse error: %s", local_error->message);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This file is not a Mail Doctor report: it is cut short, or it is "
                     "another kind of file."));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This file is not a Mail Doctor report."));
      return NULL;
    }

  drop_passwords (root);
  return root;
}

/* The messages of a damaged report quote what the file holds (a status,
 * a fix's id): whichever part says it, the message goes out in one line of
 * valid UTF-8 without control characters, as the rest of a report does.
 * json-glib makes bytes that are not UTF-8 of octal escapes such as \201. */
static void
clean_error (GError **error)
{
  char *clean;

  if (error == NULL || *error == NULL)
    return;

  clean = md_transcript_sanitize ((*error)->message, -1);
  g_free ((*error)->message);
  (*error)->message = clean;
}

/**
 * md_report_new_from_json:
 * @json: a report as md_report_to_json() writes it
 * @length: the length of @json in bytes, or -1 if it ends with a nul
 *
 * Reads a saved report. Any member called "password" is dropped unread.
 *
 * Returns: (transfer full): the report, or %NULL with @error set: in
 *   %G_IO_ERROR_NOT_SUPPORTED for a newer format, %G_IO_ERROR_MESSAGE_TOO_LARGE
 *   beyond %MD_REPORT_MAX_BYTES, %G_IO_ERROR_INVALID_DATA otherwise
 */
MdReport *
md_report_new_from_json (const char  *json,
                         gssize       length,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(MdReport) self = NULL;
  JsonNode *root;
  JsonObject *object;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_document (json, length < 0 ? strlen (json) : (gsize)length, parser, error);
  if (root == NULL)
    return NULL;

  object = json_node_get_object (root);
  if (!read_version (object, error))
    {
      clean_error (error);
      return NULL;
    }

  self = g_object_new (MD_TYPE_REPORT, NULL);
  self->transcript = md_transcript_new ();

  if (!read_account (self, object, error) ||
      !read_checks (self, object, error) ||
      !_md_report_read_findings (self, object, error) ||
      !_md_report_read_fixes (self, object, error) ||
      !read_transcript (self, object, error))
    {
      clean_error (error);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* Text */

char *
_md_report_dup_title (MdReport *self)
{
  const char *server = self->host != NULL ? self->host : self->email;

  return g_strdup_printf (_("Mail Doctor: %s, port %u"),
                          server != NULL ? server : _("no server given"), self->port);
}

static void
append_title (MdReport *self,
              GString  *out)
{
  g_autofree char *title = _md_report_dup_title (self);

  g_string_append_printf (out, "%s\n\n", title);
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

  append_title (self, out);
  _md_report_append_verdict_text (self, out);
  /* A server that works now needs no plan, even if a pasted error pointed
   * to a cause: the verdict set that aside. */
  if (md_verdict_get_state (md_report_get_verdict (self)) != MD_VERDICT_STATE_WORKS_NOW)
    _md_report_append_fixes_text (self, out);
  append_checks (self, out, unicode);
  append_transcript (self, out);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
