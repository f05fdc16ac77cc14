/* md-cli-explain.c: mail-doctor-cli explain
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the error a mail program showed (pasted as an argument, or on
 * standard input with "-") and says what it means and what to do, in the
 * shapes of a report's findings and fixes.
 */

#include "md-config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "md-check.h"
#include "md-enums.h"
#include "md-fix.h"
#include "md-interpret.h"
#include "md-cli.h"

/* A pasted bounce is a few kilobytes; the interpreter reads 64 KiB at most. */
#define MAX_INPUT_BYTES (1024 * 1024)

typedef struct
{
  char *format;
} ExplainOptions;

static char *
read_stdin (GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[4096];
  size_t n;

  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0 && text->len < MAX_INPUT_BYTES)
    g_string_append_len (text, buffer, n);

  if (ferror (stdin))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not read the error message from standard input"));
      return NULL;
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
confidence_words (double confidence)
{
  if (confidence >= 0.75)
    return _("fairly sure");
  if (confidence >= 0.5)
    return _("probably");
  if (confidence > 0)
    return _("a guess");
  return _("unknown");
}

/* Text */

static void
append_fix_text (GString *out,
                 guint    number,
                 MdFix   *fix)
{
  g_auto(GStrv) steps = md_fix_dup_steps (fix, NULL);

  g_string_append_printf (out, "\n%u. %s\n   %s\n", number, md_fix_get_title (fix),
                          md_fix_get_why (fix));
  for (guint i = 0; steps != NULL && steps[i] != NULL; i++)
    g_string_append_printf (out, "   %c. %s\n", 'a' + (int) MIN (i, 25), steps[i]);
}

static char *
to_text (const MdInterpretation *meaning,
         GListModel             *fixes)
{
  g_autoptr(GString) out = g_string_new (NULL);

  /* "Unknown" claims no cause, so there is no certainty to state. */
  if (meaning->cause == MD_CAUSE_UNKNOWN)
    g_string_append_printf (out, "%s\n%s\n", _("What this error means:"), meaning->explanation);
  else
    g_string_append_printf (out, "%s\n%s (%s)\n", _("What this error means:"),
                            meaning->explanation, confidence_words (meaning->confidence));

  if (meaning->code != 0)
    {
      g_string_append_printf (out, "\n%s %u", _("Reply code:"), meaning->code);
      if (meaning->enhanced != NULL)
        g_string_append_printf (out, " %s", meaning->enhanced);
      if (meaning->has_stage)
        g_string_append_printf (out, _(", during: %s"),
                                md_enum_to_nick (MD_TYPE_SMTP_STAGE, meaning->stage));
      if (meaning->provider != NULL)
        g_string_append_printf (out, _(", from: %s"), meaning->provider);
      g_string_append_c (out, '\n');
    }

  if (g_list_model_get_n_items (fixes) > 0)
    g_string_append_printf (out, "\n%s\n", _("What to do, most useful first:"));

  for (guint i = 0; i < g_list_model_get_n_items (fixes); i++)
    {
      g_autoptr(MdFix) fix = g_list_model_get_item (fixes, i);

      append_fix_text (out, i + 1, fix);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* JSON, in the report's shapes */

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
add_input (JsonBuilder            *builder,
           const MdInterpretation *meaning)
{
  json_builder_set_member_name (builder, "input");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  if (meaning->code != 0)
    json_builder_add_int_value (builder, meaning->code);
  else
    json_builder_add_null_value (builder);
  add_string (builder, "enhanced_code", meaning->enhanced);
  add_string (builder, "stage",
              meaning->has_stage ? md_enum_to_nick (MD_TYPE_SMTP_STAGE, meaning->stage) : NULL);
  add_string (builder, "provider", meaning->provider);
  add_string (builder, "text", meaning->reply_text);
  add_string (builder, "rule", meaning->rule_id);
  json_builder_end_object (builder);
}

static void
add_finding (JsonBuilder            *builder,
             const MdInterpretation *meaning)
{
  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_string (builder, "cause", md_enum_to_nick (MD_TYPE_CAUSE, meaning->cause));
  json_builder_set_member_name (builder, "confidence");
  json_builder_add_double_value (builder, meaning->confidence);
  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, md_check_id_to_string (MD_CHECK_ERROR_TEXT));
  json_builder_end_array (builder);
  add_string (builder, "explanation", meaning->explanation);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
}

static void
add_fix (JsonBuilder *builder,
         MdFix       *fix)
{
  g_auto(GStrv) steps = md_fix_dup_steps (fix, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "id", md_fix_get_id (fix));
  add_string (builder, "title", md_fix_get_title (fix));
  add_string (builder, "why", md_fix_get_why (fix));
  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);
  for (guint i = 0; steps != NULL && steps[i] != NULL; i++)
    json_builder_add_string_value (builder, steps[i]);
  json_builder_end_array (builder);
  add_string (builder, "verify", md_check_id_to_string (md_fix_get_verify (fix)));
  json_builder_end_object (builder);
}

static char *
to_json (const MdInterpretation *meaning,
         GListModel             *fixes)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  add_input (builder, meaning);
  add_finding (builder, meaning);
  json_builder_set_member_name (builder, "fixes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (fixes); i++)
    {
      g_autoptr(MdFix) fix = g_list_model_get_item (fixes, i);

      add_fix (builder, fix);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}

/* The fixes the interpretation names, in its order, from the catalogue. */
static GListModel *
pick_fixes (GListModel             *catalogue,
            const MdInterpretation *meaning)
{
  GListStore *fixes = g_list_store_new (MD_TYPE_FIX);

  for (guint i = 0; meaning->fixes != NULL && meaning->fixes[i] != NULL; i++)
    {
      g_autoptr(MdFix) fix = md_fix_catalogue_find (catalogue, meaning->fixes[i]);

      if (fix != NULL)
        g_list_store_append (fixes, fix);
    }

  return G_LIST_MODEL (fixes);
}

static gboolean
parse_options (ExplainOptions   *o,
               int              *argc,
               char           ***argv,
               GError          **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("TEXT"));
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &o->format,
      N_("text or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_set_summary (context,
                                _("Explains the error message your mail program showed. "
                                  "Give “-” to read a long message from standard input."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (*argc != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Give the error message as one argument (in quotes), or “-” to read it "
                     "from standard input"));
      return FALSE;
    }

  return md_cli_check_format_and_timeout (o->format, 0, error);
}

int
md_cli_explain (int    argc,
                char **argv)
{
  ExplainOptions o = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(MdInterpretCatalogue) catalogue = NULL;
  g_autoptr(GListModel) fix_catalogue = NULL;
  g_autoptr(MdInterpretation) meaning = NULL;
  g_autoptr(GListModel) fixes = NULL;
  g_autofree char *input = NULL;
  g_autofree char *output = NULL;
  g_autofree char *format = NULL;

  if (!parse_options (&o, &argc, &argv, &error))
    {
      g_free (o.format);
      md_cli_print_error ("%s", error->message);
      return MD_EXIT_USAGE;
    }
  format = o.format;

  input = g_str_equal (argv[1], "-") ? read_stdin (&error) : g_strdup (argv[1]);
  if (input == NULL)
    {
      md_cli_print_error ("%s", error->message);
      return MD_EXIT_USAGE;
    }

  /* Nothing to explain is a mistake in the call, not an explanation. */
  if (md_cli_is_blank (input))
    {
      md_cli_print_error (_("There is no error message to explain: give the text your mail "
                            "program showed, in quotes, or “-” to read it from standard input"));
      return MD_EXIT_USAGE;
    }

  catalogue = md_interpret_catalogue_new (&error);
  fix_catalogue = catalogue != NULL ? md_fix_load_catalogue (&error) : NULL;
  if (fix_catalogue == NULL)
    {
      md_cli_print_error ("%s", error->message);
      return MD_EXIT_INTERNAL;
    }

  meaning = md_interpret_error_text (catalogue, input);
  fixes = pick_fixes (fix_catalogue, meaning);
  output = g_strcmp0 (format, "json") == 0 ? to_json (meaning, fixes) : to_text (meaning, fixes);

  return md_cli_write_output (NULL, output) ? MD_EXIT_OK : MD_EXIT_INTERNAL;
}
