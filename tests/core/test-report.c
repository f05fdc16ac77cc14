/* test-report.c
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "md-config.h"

#include <locale.h>

#include <json-glib/json-glib.h>

#include "md-report.h"

#define CANARY "CANARY-7f3a9c"

/* Evidence keys are deliberately out of alphabetical order, so that a
 * round trip that sorted them would show. */
static const char round_trip_doc[] =
  "{\"version\": 1,"
  " \"account\": {\"email\": \"sam@example.org\", \"host\": \"smtp.example.org\","
  "  \"port\": 587, \"security\": \"starttls\", \"username\": \"sam\"},"
  " \"checks\": ["
  "  {\"id\": \"smtp.greeting\", \"status\": \"fail\", \"summary\": \"The server is busy\","
  "   \"detail\": \"It said 421.\\nTwice.\","
  "   \"evidence\": {\"zeta\": \"1\", \"alpha\": \"2\", \"code\": \"421\"},"
  "   \"duration_ms\": 42},"
  "  {\"id\": \"dns.host\", \"status\": \"pass\", \"summary\": \"Found\"}],"
  " \"findings\": [{\"cause\": \"server-busy\", \"title\": \"The mail server is too busy\","
  "   \"confidence\": 0.75, \"checks\": [\"smtp.greeting\"],"
  "   \"explanation\": \"Too many connections\", \"fixes\": [\"retry-later\"]}],"
  " \"fixes\": [{\"id\": \"retry-later\", \"title\": \"Wait\", \"why\": \"It passes\","
  "   \"effort\": \"low\", \"steps\": [\"Wait ten minutes\", \"Send again\"],"
  "   \"variants\": {\"phone\": [\"Wait, on the phone\"]}, \"verify\": \"smtp.greeting\"}],"
  " \"transcript\": ["
  "  {\"t_ms\": 3, \"dir\": \"S\", \"text\": \"421 4.7.0 Try again later\"},"
  "  {\"t_ms\": 5, \"dir\": \"C\", \"text\": \"QUIT\"}]}";

static const char hostile_doc[] =
  "{\"version\": 1,"
  " \"account\": {\"host\": \"evil.example\", \"port\": 25},"
  " \"checks\": [{\"id\": \"smtp.greeting\", \"status\": \"fail\","
  "  \"summary\": \"Busy \\u001b[2J\","
  "  \"evidence\": {\"text\": \"<script>alert(1)</script> & \\\"x\\\" 'y'\"}}],"
  " \"transcript\": [{\"t_ms\": 1, \"dir\": \"S\","
  "  \"text\": \"421 <script>alert(1)</script> & \\\"quoted\\\"\"}]}";

static const char hostile_finding_doc[] =
  "{\"version\": 1,"
  " \"findings\": [{\"cause\": \"blocklisted\", \"confidence\": 0.9,"
  "  \"explanation\": \"<img src=x onerror=alert(1)> listed\"}],"
  " \"fixes\": [{\"id\": \"check-blocklists\", \"title\": \"<b>Delist</b>\","
  "  \"why\": \"<script>x</script>\", \"steps\": [\"<a href=\\\"javascript:x\\\">go</a>\"],"
  "  \"verify\": \"rep.dnsbl\"}]}";

static const char canary_doc[] =
  "{\"version\": 1, \"password\": \"" CANARY "\","
  " \"account\": {\"email\": \"sam@example.org\", \"password\": \"" CANARY "\"},"
  " \"checks\": [{\"id\": \"smtp.auth\", \"status\": \"fail\","
  "  \"evidence\": {\"Password\": \"" CANARY "\", \"code\": \"535\"}}],"
  " \"findings\": [{\"cause\": \"auth-failed\", \"password\": \"" CANARY "\"}],"
  " \"fixes\": [{\"id\": \"app-password\", \"title\": \"Use an app password\","
  "   \"why\": \"Passwords are refused\", \"steps\": [\"Make one\"], \"verify\": \"smtp.auth\","
  "   \"password\": \"" CANARY "\"}]}";

static MdReport *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  MdReport *report = md_report_new_from_json (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static JsonNode *
member_of (const char *json,
           const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *member;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  member = json_object_get_member (json_node_get_object (json_parser_get_root (parser)), name);
  g_assert_nonnull (member);
  return json_node_copy (member);
}

static void
assert_same_member (const char *a,
                    const char *b,
                    const char *name)
{
  g_autoptr(JsonNode) node_a = member_of (a, name);
  g_autoptr(JsonNode) node_b = member_of (b, name);

  g_assert_true (json_node_equal (node_a, node_b));
}

static void
assert_first_check (MdReport *report)
{
  GListModel *checks = md_report_get_checks (report);
  g_autoptr(MdCheck) check = NULL;
  g_auto(GStrv) keys = NULL;
  const char * const expected_keys[] = { "zeta", "alpha", "code", NULL };

  g_assert_cmpuint (g_list_model_get_n_items (checks), ==, 2);
  check = g_list_model_get_item (checks, 0);
  g_assert_cmpint (md_check_get_id (check), ==, MD_CHECK_SMTP_GREETING);
  g_assert_cmpint (md_check_get_status (check), ==, MD_CHECK_STATUS_FAIL);
  g_assert_cmpstr (md_check_get_summary (check), ==, "The server is busy");
  g_assert_cmpstr (md_check_get_detail (check), ==, "It said 421.\nTwice.");
  g_assert_cmpuint (md_check_get_duration_ms (check), ==, 42);

  keys = md_check_dup_evidence_keys (check);
  g_assert_true (g_strv_equal ((const char * const *)keys, expected_keys));
  g_assert_cmpstr (md_check_get_evidence (check, "code"), ==, "421");
}

static void
test_round_trip (void)
{
  g_autoptr(MdReport) first = parse_ok (round_trip_doc);
  g_autofree char *first_json = md_report_to_json (first);
  g_autoptr(MdReport) second = parse_ok (first_json);
  g_autofree char *second_json = md_report_to_json (second);

  assert_first_check (first);
  assert_first_check (second);
  g_assert_cmpuint (md_report_count_status (second, MD_CHECK_STATUS_PASS), ==, 1);
  g_assert_cmpstr (first_json, ==, second_json);

  /* Findings, fixes, transcript and account come back as they went in. */
  assert_same_member (round_trip_doc, second_json, "findings");
  assert_same_member (round_trip_doc, second_json, "fixes");
  assert_same_member (round_trip_doc, second_json, "transcript");
  assert_same_member (round_trip_doc, second_json, "account");
}

/* The verdict is written, and derived again on reading: a report without
 * one (from before it existed) still opens and says the same. */
static void
test_verdict (void)
{
  g_autoptr(MdReport) report = parse_ok (round_trip_doc);
  g_autofree char *json = md_report_to_json (report);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *verdict;
  JsonArray *evidence;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  verdict = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                           "verdict");
  g_assert_nonnull (verdict);
  g_assert_cmpstr (json_object_get_string_member (verdict, "state"), ==, "problem-found");
  g_assert_cmpstr (json_object_get_string_member (verdict, "cause"), ==, "server-busy");
  g_assert_cmpfloat (json_object_get_double_member (verdict, "confidence"), ==, 0.75);
  g_assert_cmpstr (json_object_get_string_member (verdict, "title"), ==,
                   "The mail server is too busy");
  g_assert_cmpstr (json_object_get_string_member (verdict, "explanation"), ==,
                   "Too many connections");
  evidence = json_object_get_array_member (verdict, "evidence");
  g_assert_cmpuint (json_array_get_length (evidence), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (evidence, 0),
                                                  "check"), ==, "smtp.greeting");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (evidence, 0),
                                                  "text"), ==, "The server is busy");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (verdict,
                                                                         "also_noticed")), ==, 0);

  /* A verdict in the file is not believed: it comes from the findings. */
  {
    g_autoptr(MdReport) claimed = parse_ok ("{\"version\": 1, \"verdict\": {\"state\": "
                                            "\"problem-found\", \"cause\": \"nonsense\"},"
                                            " \"checks\": [{\"id\": \"smtp.greeting\", "
                                            "\"status\": \"pass\", \"summary\": \"Hello\"}]}");

    g_assert_cmpint (md_verdict_get_state (md_report_get_verdict (claimed)), ==,
                     MD_VERDICT_STATE_WORKS_NOW);
    g_assert_cmpint (md_verdict_get_state (md_report_get_verdict (report)), ==,
                     MD_VERDICT_STATE_PROBLEM_FOUND);
  }
}

static void
test_optional_members (void)
{
  g_autoptr(MdReport) report = parse_ok ("{\"version\": 1}");
  g_autofree char *text = md_report_to_text (report, FALSE);
  g_autofree char *html = md_report_to_html (report);
  g_autofree char *json = md_report_to_json (report);

  g_assert_cmpuint (g_list_model_get_n_items (md_report_get_checks (report)), ==, 0);
  /* No check at all: nothing to say it works. */
  g_assert_nonnull (strstr (text, "Mail Doctor cannot tell what is wrong"));
  g_assert_nonnull (strstr (html, "Mail Doctor cannot tell what is wrong"));
  g_assert_nonnull (strstr (json, "\"findings\" : ["));
}

static void
test_escape (void)
{
  g_autoptr(MdReport) report = parse_ok (hostile_doc);
  g_autofree char *html = md_report_to_html (report);
  g_autofree char *lower = g_ascii_strdown (html, -1);
  g_autofree char *text = md_report_to_text (report, TRUE);

  g_assert_null (strstr (lower, "<script"));
  g_assert_null (strstr (lower, "<link"));
  g_assert_null (strstr (lower, "src="));
  g_assert_nonnull (strstr (html, "421 &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;"));
  g_assert_nonnull (strstr (html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; "
                                  "&apos;y&apos;"));

  /* A terminal escape from the file must not reach the terminal. */
  g_assert_null (strchr (text, '\033'));
  g_assert_null (strchr (html, '\033'));
  g_assert_nonnull (strstr (text, "Busy \\x1B[2J"));
  g_assert_nonnull (strstr (text, "S: 421 <script>alert(1)</script> & \"quoted\""));
}

static void
test_no_password (void)
{
  g_autoptr(MdReport) report = parse_ok (canary_doc);
  g_autofree char *json = md_report_to_json (report);
  g_autofree char *text = md_report_to_text (report, TRUE);
  g_autofree char *html = md_report_to_html (report);

  g_assert_null (strstr (json, CANARY));
  g_assert_null (strstr (text, CANARY));
  g_assert_null (strstr (html, CANARY));
  g_assert_null (strstr (json, "assword\" :"));

  /* What is not secret stays. */
  g_assert_nonnull (strstr (json, "auth-failed"));
  g_assert_nonnull (strstr (json, "535"));
}

static void
assert_refused (const char *json,
                gssize      length,
                int         code,
                const char *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReport) report = md_report_new_from_json (json, length, &error);

  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, code);
  if (in_message != NULL)
    g_assert_nonnull (strstr (error->message, in_message));
}

/* Found by fuzzing: a damaged report's message quoted the bad value as
 * the file gave it, control characters and all, which could break a
 * terminal (and, through an octal escape, which no longer passes, was not
 * even UTF-8). */
static void
test_damaged_value_shown_clean (void)
{
  static const char doc[] =
    "{\"version\": 1, \"account\": {\"host\": \"evil.examp\", \"port\": 25}, "
    "\"checks\": [{\"id\": \"smtp.greeting\", "
    "\"status\": \"fai{]\\r\\r\\u000c\\u001b[31m u0\\u0081[b1\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReport) report = md_report_new_from_json (doc, -1, &error);

  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_false (g_ascii_iscntrl (*p));
  g_assert_nonnull (strstr (error->message, "is not a result we know"));
}

/* Found by fuzzing: json-glib reads some strings strict JSON does not
 * allow (an octal escape, a short \u, raw control characters) in its own
 * way, so the guard before it miscounted, and a second object after the
 * first got through, which json-glib 1.6 leaks. Refused, as not a report. */
static void
test_lenient_strings_refused (void)
{
  static const char * const docs[] = {
    "{\"version\": 1, \"checks\": [{\"status\": \"fai \\u1\"\\b\"}]}{\"version\": 1}",
    "{\"version\": 1, \"account\": {\"host\": \"a\\201\"}}",
    "{\"version\": 1, \"account\": {\"host\": \"a\rb\"}}",
    "{\"version\": 1, \"account\": {\"host\": \"a\\x41\"}}",
    "{\"version\": 1, \"account\": {\"host\": \"a\\",
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    assert_refused (docs[i], -1, G_IO_ERROR_INVALID_DATA, "not a Mail Doctor report");
}

/* The same through a fix's id, quoted by the fix catalogue's reader. */
static void
test_damaged_fix_id_shown_clean (void)
{
  static const char doc[] =
    "{\"version\": 1, \"fixes\": [{\"id\": \"check-blo\\u001b[31m\\u0085\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReport) report = md_report_new_from_json (doc, -1, &error);

  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_false (g_ascii_iscntrl (*p));
}

/* Findings and fixes read from a file are shown like any other text from
 * it: escaped, and in the order the file gives. */
static void
test_findings_escaped (void)
{
  g_autoptr(MdReport) report = parse_ok (hostile_finding_doc);
  g_autofree char *html = md_report_to_html (report);
  g_autofree char *lower = g_ascii_strdown (html, -1);
  g_autofree char *text = md_report_to_text (report, TRUE);
  MdVerdict *verdict = md_report_get_verdict (report);

  /* The one answer a reader sees first. */
  g_assert_cmpstr (md_verdict_get_title (verdict), ==, "Your connection is on a spam blocklist");
  g_assert_null (strstr (lower, "<script"));
  g_assert_null (strstr (lower, "<img"));
  g_assert_null (strstr (lower, "<a href"));
  g_assert_null (strstr (lower, "<b>delist"));
  g_assert_nonnull (strstr (html, "&lt;img src=x onerror=alert(1)&gt; listed"));

  /* The verdict's title comes from the cause, then the plan. */
  g_assert_nonnull (strstr (text, "\nYour connection is on a spam blocklist\n"));
  g_assert_true (strstr (text, "blocklist") < strstr (text, "What to do"));
  g_assert_nonnull (strstr (text, "1. <b>Delist</b>"));
}

static void
test_bad_finding (void)
{
  assert_refused ("{\"version\": 1, \"findings\": [{\"cause\": \"gremlins\"}]}", -1,
                  G_IO_ERROR_INVALID_DATA, "gremlins");
  assert_refused ("{\"version\": 1, \"findings\": [{\"cause\": \"unknown\","
                  " \"checks\": [\"<script>\"]}]}", -1, G_IO_ERROR_INVALID_DATA, "checks");
  assert_refused ("{\"version\": 1, \"findings\": [{\"cause\": \"unknown\","
                  " \"confidence\": 7}]}", -1, G_IO_ERROR_INVALID_DATA, "confidence");
  assert_refused ("{\"version\": 1, \"fixes\": [{\"id\": \"x\"}]}", -1,
                  G_IO_ERROR_INVALID_DATA, "steps");
}

/* The note for the provider: who, what was found, the server's words. */
static void
test_provider_message (void)
{
  g_autoptr(MdReport) report = parse_ok (round_trip_doc);
  g_autoptr(MdReport) secret = parse_ok (canary_doc);
  g_autofree char *message = md_report_to_provider_message (report);
  g_autofree char *secret_message = md_report_to_provider_message (secret);

  g_assert_nonnull (strstr (message, "sam@example.org"));
  g_assert_nonnull (strstr (message, "smtp.example.org (port 587)"));
  g_assert_nonnull (strstr (message, "The mail server is too busy: Too many connections"));
  g_assert_nonnull (strstr (message, "smtp.greeting: The server is busy"));
  g_assert_nonnull (strstr (message, "421"));
  g_assert_null (strstr (secret_message, CANARY));

  /* A pasted reply starts with its code: it is named once. */
  {
    g_autoptr(MdReport) pasted = parse_ok ("{\"version\": 1, \"checks\": [{\"id\": "
                                           "\"error.text\", \"status\": \"warn\", \"summary\": "
                                           "\"Your error message\", \"evidence\": {\"code\": "
                                           "\"421\", \"text\": \"421 4.7.0 Try again later\"}}]}");
    g_autofree char *once = md_report_to_provider_message (pasted);

    g_assert_nonnull (strstr (once, "Server reply: 421 4.7.0 Try again later"));
    g_assert_null (strstr (once, "421 421"));
  }
}

static void
test_newer_version (void)
{
  assert_refused ("{\"version\": 2, \"checks\": []}", -1, G_IO_ERROR_NOT_SUPPORTED, "newer");
}

static void
test_garbage (void)
{
  g_autofree char *deep = g_strnfill (100000, '[');

  assert_refused ("", -1, G_IO_ERROR_INVALID_DATA, NULL);
  assert_refused ("garbage", -1, G_IO_ERROR_INVALID_DATA, NULL);
  assert_refused ("[1, 2]", -1, G_IO_ERROR_INVALID_DATA, NULL);
  assert_refused ("{\"checks\": []}", -1, G_IO_ERROR_INVALID_DATA, "version");
  assert_refused ("{\"version\": \"1\"}", -1, G_IO_ERROR_INVALID_DATA, "version");
  assert_refused ("{\"version\": 1, \"checks\": {}}", -1, G_IO_ERROR_INVALID_DATA, "checks");
  assert_refused ("{\"version\": 1, \"checks\": [{\"id\": \"no.such\", \"status\": \"pass\"}]}",
                  -1, G_IO_ERROR_INVALID_DATA, "no.such");
  assert_refused ("{\"version\": 1, \"checks\": [{\"id\": \"dns.mx\", \"status\": \"meh\"}]}",
                  -1, G_IO_ERROR_INVALID_DATA, "meh");
  assert_refused ("{\"version\": 1, \"checks\": [{\"status\": \"pass\"}]}",
                  -1, G_IO_ERROR_INVALID_DATA, "check 1");
  assert_refused ("{\"version\": 1, \"account\": {\"port\": 70000}}",
                  -1, G_IO_ERROR_INVALID_DATA, "port");
  assert_refused ("{\"version\": 1, \"transcript\": [{\"dir\": \"X\"}]}",
                  -1, G_IO_ERROR_INVALID_DATA, "line 1");
  assert_refused (deep, -1, G_IO_ERROR_INVALID_DATA, NULL);
}

/* The crafted reports of the sanitizer issue: json-glib takes single-quoted
 * strings and comments, so a guard that counted brackets only outside
 * double-quoted strings let 100 000 "[" through after a '"', and the
 * parser overflowed the stack; and it takes a second value after the first,
 * which it leaks. Each is refused before json-glib sees it. */
static void
test_crafted (void)
{
  g_autofree char *deep = g_strnfill (100000, '[');
  g_autofree char *after_quote = g_strconcat ("{\"version\": 1, \"x\": '\"' ", deep, NULL);
  g_autofree char *after_comment = g_strconcat ("{\"version\": 1, /* \" */ \"x\": ", deep,
                                                NULL);

  assert_refused (after_quote, -1, G_IO_ERROR_INVALID_DATA, "not a Mail Doctor report");
  assert_refused (after_comment, -1, G_IO_ERROR_INVALID_DATA, "not a Mail Doctor report");
  assert_refused ("{\"version\": 1}{\"version\": 1}", -1, G_IO_ERROR_INVALID_DATA,
                  "not a Mail Doctor report");
  assert_refused ("{\"version\": 1} []", -1, G_IO_ERROR_INVALID_DATA,
                  "not a Mail Doctor report");
}

static void
test_too_large (void)
{
  gsize length = 17 * 1024 * 1024;
  g_autofree char *big = g_malloc (length);

  memset (big, ' ', length);
  memcpy (big, "{\"version\": 1}", 14);
  assert_refused (big, length, G_IO_ERROR_MESSAGE_TOO_LARGE, NULL);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/md/core/report/round-trip", test_round_trip);
  g_test_add_func ("/md/core/report/optional-members", test_optional_members);
  g_test_add_func ("/md/core/report/verdict", test_verdict);
  g_test_add_func ("/md/core/report/escape", test_escape);
  g_test_add_func ("/md/core/report/no-password", test_no_password);
  g_test_add_func ("/md/core/report/findings-escaped", test_findings_escaped);
  g_test_add_func ("/md/core/report/bad-finding", test_bad_finding);
  g_test_add_func ("/md/core/report/provider-message", test_provider_message);
  g_test_add_func ("/md/core/report/newer-version", test_newer_version);
  g_test_add_func ("/md/core/report/garbage", test_garbage);
  g_test_add_func ("/md/core/report/crafted", test_crafted);
  g_test_add_func ("/md/core/report/too-large", test_too_large);
  g_test_add_func ("/md/core/report/damaged-value-shown-clean", test_damaged_value_shown_clean);
  g_test_add_func ("/md/core/report/damaged-fix-id-shown-clean", test_damaged_fix_id_shown_clean);
  g_test_add_func ("/md/core/report/lenient-strings-refused", test_lenient_strings_refused);

  return g_test_run ();
}
