/* md-report-html.c: a report as a self-contained HTML page
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every string from the report is escaped: what a server says must never
 * become live markup in a page someone opens in a browser.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-finding.h"
#include "md-fix.h"
#include "md-report-private.h"

/* Everything in a report may come from a hostile server or file: no string
 * reaches the page without escaping, and the page allows no script at all. */
static const char html_head[] =
  "<head>\n<meta charset=\"utf-8\">\n"
  "<meta http-equiv=\"Content-Security-Policy\" "
  "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
  "<meta name=\"viewport\" content=\"width=device-width\">\n"
  "<style>\n"
  "body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; }\n"
  ".headline { font-size: 1.3em; }\n"
  ".check { border-left: 4px solid #888; padding: 0.2em 0.8em; margin: 0.8em 0; }\n"
  ".pass { border-color: #2ec27e; } .warn { border-color: #e5a50a; }\n"
  ".fail, .error { border-color: #e01b24; }\n"
  ".id { font-family: monospace; color: #555; }\n"
  ".verdict { border-left: 4px solid #e01b24; padding: 0.2em 0.8em; margin: 0.8em 0; }\n"
  ".works-now { border-color: #2ec27e; } .cannot-tell { border-color: #e5a50a; }\n"
  ".detail { white-space: pre-wrap; }\n"
  "dl { display: grid; grid-template-columns: max-content auto; gap: 0 1em; }\n"
  "dt { font-family: monospace; } dd { margin: 0; word-break: break-all; }\n"
  "pre { background: #f6f5f4; padding: 0.8em; overflow-x: auto; }\n"
  "</style>\n";

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  g_string_append (out, escaped);
}

/* Wraps escaped text in markup that is ours. */
static void
append_element (GString    *out,
                const char *open,
                const char *text,
                const char *close)
{
  g_string_append (out, open);
  append_escaped (out, text);
  g_string_append (out, close);
}

static void
append_html_evidence (GString *out,
                      MdCheck *check)
{
  g_auto(GStrv) keys = md_check_dup_evidence_keys (check);

  if (keys[0] == NULL)
    return;

  g_string_append (out, "<dl>\n");
  for (guint i = 0; keys[i] != NULL; i++)
    {
      append_element (out, "<dt>", keys[i], "</dt>");
      append_element (out, "<dd>", md_check_get_evidence (check, keys[i]), "</dd>\n");
    }
  g_string_append (out, "</dl>\n");
}

static void
append_html_check (GString *out,
                   MdCheck *check)
{
  MdCheckStatus status = md_check_get_status (check);
  const char *detail = md_check_get_detail (check);

  append_element (out, "<section class=\"check ", md_check_status_to_string (status), "\">\n");
  append_element (out, "<h3>", md_check_status_to_symbol (status, TRUE), " ");
  append_escaped (out, md_check_get_summary (check));
  append_element (out, " <span class=\"id\">", md_check_get_id_string (check), "</span></h3>\n");
  if (detail != NULL && detail[0] != '\0')
    append_element (out, "<p class=\"detail\">", detail, "</p>\n");
  append_html_evidence (out, check);
  g_string_append (out, "</section>\n");
}

static void
append_html_notes (GString    *out,
                   const char *heading,
                   GPtrArray  *notes,
                   gboolean    titled)
{
  if (notes->len == 0)
    return;

  append_element (out, "<h2>", heading, "</h2>\n<ul>\n");
  for (guint i = 0; i < notes->len; i++)
    {
      const MdVerdictNote *note = notes->pdata[i];

      g_string_append (out, "<li>");
      if (titled)
        append_element (out, "<strong>", note->title, "</strong>: ");
      append_escaped (out, note->text);
      if (!titled)
        append_element (out, " <span class=\"id\">", note->id, "</span>");
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n");
}

/* The verdict first, then what was only noticed; the findings behind it
 * are not listed again, as in the text. */
static void
append_html_verdict (MdReport *self,
                     GString  *out)
{
  MdVerdict *verdict = md_report_get_verdict (self);
  const char *certainty = md_verdict_get_certainty (verdict);

  append_element (out, "<section class=\"verdict ", md_verdict_state_to_string
                  (md_verdict_get_state (verdict)), "\">\n");
  append_element (out, "<p class=\"headline\">", md_verdict_get_title (verdict), "</p>\n");
  append_element (out, "<p>", md_verdict_get_explanation (verdict), "</p>\n");
  if (certainty != NULL)
    {
      append_element (out, "<p>", _("How sure:"), " ");
      append_element (out, "<strong>", certainty, "</strong></p>\n");
    }
  g_string_append (out, "</section>\n");
  append_html_notes (out, _("Why"), md_verdict_get_evidence (verdict), FALSE);
  append_html_notes (out, _("Also noticed"), md_verdict_get_also_noticed (verdict), TRUE);
}

static void
append_html_fix (GString *out,
                 MdFix   *fix)
{
  g_auto(GStrv) steps = md_fix_dup_steps (fix, NULL);

  append_element (out, "<li><h3>", md_fix_get_title (fix), "</h3>\n");
  append_element (out, "<p>", md_fix_get_why (fix), "</p>\n<ol>\n");
  for (guint i = 0; steps[i] != NULL; i++)
    append_element (out, "<li>", steps[i], "</li>\n");
  g_string_append (out, "</ol></li>\n");
}

static void
append_html_conclusions (MdReport *self,
                         GString  *out)
{
  GListModel *fixes = G_LIST_MODEL (self->fixes);

  append_html_verdict (self, out);

  /* As in the text: no plan for a server that works now. */
  if (g_list_model_get_n_items (fixes) == 0 ||
      md_verdict_get_state (md_report_get_verdict (self)) == MD_VERDICT_STATE_WORKS_NOW)
    return;

  append_element (out, "<h2>", _("What to do, in this order"), "</h2>\n<ol>\n");
  for (guint i = 0; i < g_list_model_get_n_items (fixes); i++)
    {
      g_autoptr(MdFix) fix = g_list_model_get_item (fixes, i);

      append_html_fix (out, fix);
    }
  g_string_append (out, "</ol>\n");
}

static void
append_html_transcript (MdReport *self,
                        GString  *out)
{
  if (md_transcript_get_length (self->transcript) == 0)
    return;

  append_element (out, "<h2>", _("Conversation with the server"), "</h2>\n<pre>");
  for (guint i = 0; i < md_transcript_get_length (self->transcript); i++)
    {
      MdDirection direction;
      guint t_ms;
      const char *text = md_transcript_get_text (self->transcript, i, &direction, &t_ms);

      g_string_append_printf (out, "%6u ms %s ", t_ms,
                              direction == MD_DIRECTION_CLIENT ? "C:" : "S:");
      append_escaped (out, text);
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "</pre>\n");
}

/**
 * md_report_to_html:
 *
 * Returns: (transfer full): the report as one self-contained HTML page,
 *   with no scripts and nothing to fetch, to save or attach to a ticket
 */
char *
md_report_to_html (MdReport *self)
{
  g_autoptr(GString) out = g_string_new ("<!DOCTYPE html>\n");
  g_autofree char *title = NULL;

  g_return_val_if_fail (MD_IS_REPORT (self), NULL);

  /* The page is in the language of the texts, so that a browser reads it
   * out and hyphenates it as such. */
  /* Translators: the language code of your translation (BCP 47), as the
   * HTML report's lang attribute says it: "de" for German. */
  append_element (out, "<html lang=\"", C_("html lang", "en"), "\">\n");
  g_string_append (out, html_head);

  title = _md_report_dup_title (self);
  append_element (out, "<title>", title, "</title>\n</head>\n<body>\n");
  append_element (out, "<h1>", title, "</h1>\n");
  append_html_conclusions (self, out);
  append_element (out, "<h2>", _("All checks"), "</h2>\n");

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->checks)); i++)
    {
      g_autoptr(MdCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      append_html_check (out, check);
    }

  append_html_transcript (self, out);
  g_string_append (out, "</body>\n</html>\n");

  return g_string_free (g_steal_pointer (&out), FALSE);
}
