/* fuzz-report.c: report JSON import, every writer, and the round trip
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A report the importer takes must be written by every writer as valid
 * UTF-8, and JSON → report → JSON → report → JSON must give the same JSON
 * both times: what a user saves, opens and saves again does not change.
 */

#include <string.h>

#include "md-report.h"
#include "md-fuzz.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  md_fuzz_init ();
  return 0;
}

static MdReport *
import_again (const char *json,
              const char *what)
{
  g_autoptr(GError) error = NULL;
  MdReport *report = md_report_new_from_json (json, -1, &error);

  if (report == NULL)
    md_fuzz_fail ("the %s JSON does not import again: %s", what, error->message);

  return report;
}

/* Writes @report every way; returns the JSON. */
static char *
write_all (MdReport *report,
           char    **text_out,
           char    **html_out)
{
  g_autofree char *json = md_report_to_json (report);
  g_autofree char *text = md_report_to_text (report, TRUE);
  g_autofree char *ascii = md_report_to_text (report, FALSE);
  g_autofree char *html = md_report_to_html (report);
  g_autofree char *message = md_report_to_provider_message (report);

  md_fuzz_check_utf8 (json, "report JSON");
  md_fuzz_check_utf8 (text, "report text");
  md_fuzz_check_utf8 (ascii, "report plain text");
  md_fuzz_check_utf8 (html, "report HTML");
  md_fuzz_check_utf8 (message, "provider message");

  md_report_get_checks (report);
  md_report_get_findings (report);
  md_report_get_fixes (report);
  md_report_get_verdict (report);
  md_report_get_transcript (report);
  md_report_count_status (report, MD_CHECK_STATUS_FAIL);

  *text_out = g_steal_pointer (&text);
  *html_out = g_steal_pointer (&html);
  return g_steal_pointer (&json);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(MdReport) first = NULL;
  g_autoptr(MdReport) second = NULL;
  g_autoptr(MdReport) third = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json1 = NULL, *text1 = NULL, *html1 = NULL;
  g_autofree char *json2 = NULL, *text2 = NULL, *html2 = NULL;
  g_autofree char *json3 = NULL, *text3 = NULL, *html3 = NULL;

  if (size > 1024 * 1024)
    return -1;

  first = md_report_new_from_json ((const char *)data, size, &error);
  if (first == NULL)
    {
      if (error == NULL)
        md_fuzz_fail ("refused without an error");
      md_fuzz_check_utf8 (error->message, "import error");
      return 0;
    }

  json1 = write_all (first, &text1, &html1);
  second = import_again (json1, "written");
  json2 = write_all (second, &text2, &html2);
  third = import_again (json2, "rewritten");
  json3 = write_all (third, &text3, &html3);

  if (strcmp (json1, json2) != 0 || strcmp (json2, json3) != 0)
    md_fuzz_fail ("the JSON changes on a round trip");
  if (strcmp (text1, text2) != 0 || strcmp (html1, html2) != 0)
    md_fuzz_fail ("the text or HTML changes on a round trip");

  return 0;
}
