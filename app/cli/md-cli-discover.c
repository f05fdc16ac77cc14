/* md-cli-discover.c: mail-doctor-cli discover
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Suggests outgoing-server settings for an email address, each with where
 * it came from, so that someone who only knows their address can fill in
 * their mail program, and a script can take the first suggestion.
 */

#include "md-config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "md-account.h"
#include "md-discover.h"
#include "md-enums.h"
#include "md-error.h"
#include "md-cli.h"
#include "md-cli-options.h"

#define DEFAULT_TIMEOUT_SECONDS 10

typedef struct
{
  char *format;
  int   timeout;
} DiscoverOptions;

static void
discover_options_clear (DiscoverOptions *o)
{
  g_clear_pointer (&o->format, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DiscoverOptions, discover_options_clear)

/* Output */

static const char *
security_words (MdSecurity security)
{
  switch (security)
    {
    case MD_SECURITY_STARTTLS:
      return _("STARTTLS (encryption starts after connecting)");
    case MD_SECURITY_TLS:
      return _("SSL/TLS (encrypted from the start)");
    case MD_SECURITY_NONE:
      return _("none (not encrypted)");
    case MD_SECURITY_AUTO:
    default:
      return _("automatic");
    }
}

static void
append_suggestion_text (GString            *out,
                        guint               number,
                        const MdSuggestion *s)
{
  /* Translators: a numbered suggestion; %s are the server's name and how
   * the connection is protected, %u its port. */
  g_string_append_printf (out, _("%u. Server %s, port %u, security %s\n"), number, s->host,
                          s->port, security_words (s->security));
  g_string_append_printf (out, _("   Where this comes from: %s\n"), s->source_detail);

  if (s->needs_confirmation)
    g_string_append_printf (out, "   %s\n",
                            _("This needs your confirmation: the server is not part of your "
                              "email domain."));
  if (s->answered)
    g_string_append_printf (out, "   %s\n", _("A mail server answered there when we tried it."));
  if (s->oauth_only)
    g_string_append_printf (out, "   %s\n",
                            _("Passwords are refused: your mail program must sign in with the "
                              "provider's own sign-in page (OAuth)."));
  else if (s->app_password)
    g_string_append_printf (out, "   %s\n",
                            _("Needs an app password, made in your account's security settings, "
                              "instead of your usual password."));
  if (s->notes != NULL)
    g_string_append_printf (out, _("   Note: %s\n"), s->notes);
}

static char *
suggestions_to_text (const char *email,
                     GPtrArray  *suggestions)
{
  GString *out = g_string_new (NULL);

  if (suggestions->len == 0)
    {
      g_string_append_printf (out, _("No settings found for %s. Ask your email provider for the "
                                     "name and port of its outgoing (SMTP) server.\n"), email);
      return g_string_free (out, FALSE);
    }

  g_string_append_printf (out, _("Settings to try for %s, best first:\n"), email);
  for (guint i = 0; i < suggestions->len; i++)
    {
      g_string_append_c (out, '\n');
      append_suggestion_text (out, i + 1, g_ptr_array_index (suggestions, i));
    }

  return g_string_free (out, FALSE);
}

static void
add_member_string (JsonBuilder *builder,
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
add_member_boolean (JsonBuilder *builder,
                    const char  *name,
                    gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static void
add_suggestion_json (JsonBuilder        *builder,
                     const MdSuggestion *s)
{
  json_builder_begin_object (builder);
  add_member_string (builder, "host", s->host);
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, s->port);
  add_member_string (builder, "security", md_security_to_string (s->security));
  add_member_string (builder, "source", md_enum_to_nick (MD_TYPE_DISCOVER_SOURCE, s->source));
  add_member_string (builder, "source_detail", s->source_detail);
  add_member_boolean (builder, "needs_confirmation", s->needs_confirmation);
  add_member_boolean (builder, "answered", s->answered);
  add_member_string (builder, "notes", s->notes);
  add_member_boolean (builder, "app_password", s->app_password);
  add_member_boolean (builder, "oauth_only", s->oauth_only);
  json_builder_end_object (builder);
}

static char *
suggestions_to_json (const char *email,
                     GPtrArray  *suggestions)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_member_string (builder, "email", email);
  json_builder_set_member_name (builder, "suggestions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < suggestions->len; i++)
    add_suggestion_json (builder, g_ptr_array_index (suggestions, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}

/* Running */

typedef struct
{
  GPtrArray    *suggestions;
  GError       *error;
  gboolean      finished;
} Run;

static void
discover_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;

  run->suggestions = md_discover_finish (result, &run->error);
  run->finished = TRUE;
}

static int
report_error (GError *error)
{
  if (g_error_matches (error, MD_ERROR, MD_ERROR_INVALID_INPUT))
    {
      /* The validator's messages are written for the user. */
      md_cli_print_error ("%s", error->message);
      return MD_EXIT_USAGE;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      md_cli_print_error ("%s", _("Stopped before any settings were found."));
      return MD_EXIT_USAGE;
    }

  g_debug ("discover failed: %s", error->message);
  md_cli_print_error ("%s", _("Something went wrong inside Mail Doctor while looking for the "
                              "settings. Please report this as a bug."));
  return MD_EXIT_INTERNAL;
}

static int
print_suggestions (const char      *email,
                   DiscoverOptions *o,
                   GPtrArray       *suggestions)
{
  g_autofree char *text = NULL;

  if (g_strcmp0 (o->format, "json") == 0)
    text = suggestions_to_json (email, suggestions);
  else
    text = suggestions_to_text (email, suggestions);

  if (!md_cli_write_output (NULL, text))
    return MD_EXIT_INTERNAL;

  return suggestions->len > 0 ? MD_EXIT_OK : MD_EXIT_PROBLEMS;
}

static int
run_discover (MdKb            *kb,
              const char      *email,
              DiscoverOptions *o)
{
  g_autoptr(GCancellable) cancellable = md_cli_interrupt_cancellable_new ();
  g_autoptr(GPtrArray) suggestions = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { NULL, NULL, FALSE };
  int seconds = o->timeout > 0 ? o->timeout : DEFAULT_TIMEOUT_SECONDS;

  if (isatty (STDERR_FILENO))
    fprintf (stderr, _("Looking for the settings of %s (up to %d seconds)…\n"), email, seconds);

  md_discover_async (kb, email, (guint)seconds * 1000, cancellable, discover_cb, &run);
  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);

  suggestions = run.suggestions;
  error = run.error;
  if (error != NULL)
    return report_error (error);

  return print_suggestions (email, o, suggestions);
}

/* Options */

static gboolean
parse_options (DiscoverOptions   *o,
               int               *argc,
               char            ***argv,
               GError           **error)
{
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &o->format,
      N_("text or json"), N_("FORMAT") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &o->timeout,
      N_("Give up after this many seconds (default 10)"), N_("SECONDS") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ADDRESS"));
  g_autoptr(GError) parse_error = NULL;

  g_option_context_set_summary (context,
                                _("Suggests the outgoing mail server settings for an email "
                                  "address, and says where each suggestion comes from."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &parse_error))
    {
      /* GLib names the option; the hint says where to look next. */
      g_set_error (error, G_OPTION_ERROR, parse_error->code,
                   _("%s. Run “mail-doctor-cli discover --help” to see the options."),
                   parse_error->message);
      return FALSE;
    }

  if (*argc < 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Say which email address to find settings for, like "
                     "“mail-doctor-cli discover sam@example.com”"));
      return FALSE;
    }

  if (*argc > 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Give one email address only; “%s” is one too many"), (*argv)[2]);
      return FALSE;
    }

  return md_cli_check_format_and_timeout (o->format, o->timeout, error);
}

int
md_cli_discover (int    argc,
                 char **argv)
{
  g_auto(DiscoverOptions) o = { 0 };
  g_autoptr(MdKb) kb = NULL;
  g_autoptr(GError) error = NULL;
  const char *email;

  if (!parse_options (&o, &argc, &argv, &error))
    {
      md_cli_print_error ("%s", error->message);
      return MD_EXIT_USAGE;
    }

  email = argv[1];
  if (!md_validate_email (email, &error))
    {
      md_cli_print_error ("%s", error->message);
      return MD_EXIT_USAGE;
    }

  kb = md_kb_new (&error);
  if (kb == NULL)
    {
      g_debug ("knowledge base: %s", error->message);
      md_cli_print_error ("%s", _("Mail Doctor's list of mail providers could not be read. "
                                  "Please report this as a bug."));
      return MD_EXIT_INTERNAL;
    }

  return run_discover (kb, email, &o);
}
