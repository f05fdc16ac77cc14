/* test-interpret.c
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "md-enums.h"
#include "md-interpret.h"

static MdInterpretCatalogue *
load_catalogue (void)
{
  g_autoptr(GError) error = NULL;
  MdInterpretCatalogue *catalogue = md_interpret_catalogue_new (&error);

  g_assert_no_error (error);
  g_assert_nonnull (catalogue);

  return catalogue;
}

static MdInterpretation *
interpret (const char *text)
{
  g_autoptr(MdInterpretCatalogue) catalogue = load_catalogue ();

  return md_interpret_error_text (catalogue, text);
}

static const char *
cause_nick (MdCause cause)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (MD_TYPE_CAUSE);

  return g_enum_get_value (klass, cause)->value_nick;
}

static void
assert_cause (const MdInterpretation *result,
              MdCause                 cause)
{
  g_assert_cmpstr (cause_nick (result->cause), ==, cause_nick (cause));
}

/* Reads every reply of a file of real ones (tests/core/data/FILE: the text
 * and the causes we accept for each) and asks that at least 95 % be
 * understood and have their reply code read. */
static void
check_replies (const char *file,
               guint       expected)
{
  g_autoptr(MdInterpretCatalogue) catalogue = load_catalogue ();
  g_autofree char *path = g_build_filename (g_getenv ("MD_TEST_SRCDIR"), "core", "data",
                                            file, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *responses;
  guint n, good = 0, codes = 0;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  responses = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "responses");
  n = json_array_get_length (responses);
  g_assert_cmpuint (n, ==, expected);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = json_array_get_object_element (responses, i);
      const char *text = json_object_get_string_member (entry, "text");
      JsonArray *causes = json_object_get_array_member (entry, "causes");
      gint64 code = json_object_get_int_member_with_default (entry, "code", 0);
      g_autoptr(MdInterpretation) result = md_interpret_error_text (catalogue, text);
      const char *got = cause_nick (result->cause);
      gboolean ok = FALSE;

      for (guint j = 0; j < json_array_get_length (causes); j++)
        ok |= g_strcmp0 (json_array_get_string_element (causes, j), got) == 0;

      if (ok)
        good++;
      else
        g_test_message ("not understood: %u “%s” → %s (%s)", i, text, got,
                        result->rule_id != NULL ? result->rule_id : "no rule");

      if (code == 0 || result->code == (guint) code)
        codes++;
      else
        g_test_message ("reply code: %u “%s” → %u", i, text, result->code);

      g_assert_cmpfloat (result->confidence, >, 0);
      g_assert_nonnull (result->explanation);
      g_assert_nonnull (result->fixes);
      g_assert_nonnull (result->fixes[0]);
    }

  g_test_message ("%s: understood %u of %u replies (%.1f %%); reply code read in %u",
                  file, good, n, 100.0 * good / n, codes);
  g_assert_cmpuint (good * 100, >=, n * 95);
  g_assert_cmpuint (codes * 100, >=, n * 95);
}

/* Every real reply of the research: a copy of shared/kb/kb-421.json's
 * "responses", the catalogue the rules were written from. */
static void
test_known_replies (void)
{
  check_replies ("replies-421.json", 98);
}

/* Real replies beyond that catalogue (Mimecast, IONOS, Amazon SES, Gmail's
 * sender-authentication deferrals, ...): how the wording rules carry over. */
static void
test_more_replies (void)
{
  check_replies ("replies-more.json", 40);
}

/* What users paste: bare, multi-line, and the forms bounces quote. */
static void
test_paste_forms (void)
{
  g_autoptr(MdInterpretCatalogue) catalogue = load_catalogue ();
  static const struct
  {
    const char *text;
    guint       code;
    const char *enhanced;
    MdCause     cause;
    const char *reply_text;
  } cases[] = {
    /* No reason given: what is known, not a guess. */
    { "421 4.7.0 Try again later", 421, "4.7.0", MD_CAUSE_UNKNOWN,
      "421 4.7.0 Try again later" },
    { "421-4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred\r\n"
      "421 4.7.0 due to unexpected volume or user complaints\r\n", 421, "4.7.0",
      MD_CAUSE_SPAM_SUSPECTED,
      "421-4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred "
      "4.7.0 due to unexpected volume or user complaints" },
    { "Diagnostic-Code: smtp;421 4.7.0 Error: too many connections from 192.0.2.1", 421,
      "4.7.0", MD_CAUSE_RATE_LIMITED, NULL },
    { "host mx.example[192.0.2.4] said: 421 4.7.0 Client host [192.0.2.1] blocked using "
      "zen.spamhaus.org (in reply to MAIL FROM command)", 421, "4.7.0",
      MD_CAUSE_BLOCKLISTED, NULL },
    { "Remote server returned '421 4.7.66 Too many concurrent connections'", 421, "4.7.66",
      MD_CAUSE_RATE_LIMITED, NULL },
    { "421: 4.3.2 Service not active [TYAPR01CA0229.jpnprd01.prod.outlook.com]", 421,
      "4.3.2", MD_CAUSE_SERVER_DOWN, NULL },
    { "421 out of memory (#4.3.0)", 421, "4.3.0", MD_CAUSE_SERVER_BUSY, NULL },
    { "220-laposte 421 4.2.1 Service refuse. LPN007_505", 421, "4.2.1",
      MD_CAUSE_BLOCKLISTED, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MdInterpretation) result = md_interpret_error_text (catalogue, cases[i].text);

      g_assert_cmpuint (result->code, ==, cases[i].code);
      g_assert_cmpstr (result->enhanced, ==, cases[i].enhanced);
      assert_cause (result, cases[i].cause);
      if (cases[i].cause == MD_CAUSE_UNKNOWN)
        g_assert_cmpfloat (result->confidence, <=, 0.5);
      else
        g_assert_cmpfloat (result->confidence, >, 0.5);
      g_assert_nonnull (result->rule_id);
      if (cases[i].reply_text != NULL)
        g_assert_cmpstr (result->reply_text, ==, cases[i].reply_text);
    }
}

static void
test_stage (void)
{
  g_autoptr(MdInterpretCatalogue) catalogue = load_catalogue ();
  static const struct
  {
    const char  *text;
    MdSmtpStage  stage;
  } cases[] = {
    { "said: 421 4.7.0 Try again later (in reply to MAIL FROM command)", MD_SMTP_STAGE_MAIL },
    { "said: 450 4.2.1 receiving mail too quickly (in reply to RCPT TO command)",
      MD_SMTP_STAGE_RCPT },
    { "said: 421 4.7.28 rate limited (in reply to end of DATA command)", MD_SMTP_STAGE_DATA },
    { "said: 421 4.7.0 Try again later (in reply to EHLO command)", MD_SMTP_STAGE_EHLO },
    { "454 4.7.0 TLS not available (in reply to STARTTLS command)", MD_SMTP_STAGE_STARTTLS },
    { "421 4.7.0 too many AUTH commands after AUTH", MD_SMTP_STAGE_AUTH },
    { "host mx.example[192.0.2.4] refused to talk to me: 421 Service unavailable",
      MD_SMTP_STAGE_GREETING },
    { "421 4.4.2 connection timed out at connect", MD_SMTP_STAGE_CONNECT },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MdInterpretation) result = md_interpret_error_text (catalogue, cases[i].text);

      g_assert_true (result->has_stage);
      g_assert_cmpint (result->stage, ==, cases[i].stage);
    }

  {
    g_autoptr(MdInterpretation) result = md_interpret_error_text (catalogue,
                                                                  "421 4.3.2 busy");

    g_assert_false (result->has_stage);
  }
}

/* Replies no rule knows still get what their codes mean, without claiming
 * more than that. */
static void
test_fallback (void)
{
  g_autoptr(MdInterpretCatalogue) catalogue = load_catalogue ();
  static const struct
  {
    const char *text;
    MdCause     cause;
    const char *rule_id;
  } cases[] = {
    { "421 4.4.1 zzz", MD_CAUSE_SERVER_DOWN, "enhanced:X.4.1" },
    /* Expired in the queue: the receiving server never took it. */
    { "421 4.4.7 zzz", MD_CAUSE_SERVER_DOWN, "enhanced:X.4.7" },
    { "535 5.7.8 nope", MD_CAUSE_AUTH_FAILED, "auth-credentials" },
    /* No name for the address: its reputation, not SPF or DKIM. */
    { "550 5.7.25 xyzzy", MD_CAUSE_BLOCKLISTED, "enhanced:X.7.25" },
    /* Codes that say only "later" or "refused" name no cause. */
    { "421 xyzzy", MD_CAUSE_UNKNOWN, "code:421" },
    { "421 4.7.0 xyzzy", MD_CAUSE_UNKNOWN, "code:421" },
    { "458 xyzzy", MD_CAUSE_UNKNOWN, "code:4" },
    { "552 5.3.4 xyzzy", MD_CAUSE_MESSAGE_TOO_LARGE, "too-large-code" },
    { "451 4.6.9 xyzzy", MD_CAUSE_UNKNOWN, "code:451" },
    { "451 4.3.0 xyzzy", MD_CAUSE_SERVER_BUSY, "enhanced:X.3" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MdInterpretation) result = md_interpret_error_text (catalogue, cases[i].text);

      assert_cause (result, cases[i].cause);
      g_assert_cmpstr (result->rule_id, ==, cases[i].rule_id);
      if (g_str_has_prefix (cases[i].rule_id, "enhanced:") ||
          g_str_has_prefix (cases[i].rule_id, "code:"))
        g_assert_cmpfloat (result->confidence, <=, 0.5);
      g_assert_cmpfloat (result->confidence, >, 0);
    }
}

static void
assert_no_code (const MdInterpretation *result)
{
  g_assert_cmpuint (result->code, ==, 0);
  g_assert_null (result->enhanced);
  assert_cause (result, MD_CAUSE_UNKNOWN);
  g_assert_cmpfloat (result->confidence, ==, 0);
  g_assert_nonnull (strstr (result->explanation, "error code"));
  g_assert_nonnull (result->fixes);
  g_assert_null (result->rule_id);
}

/* Odd input gets a clear answer, never a crash, and quickly. */
static void
test_odd_input (void)
{
  g_autoptr(MdInterpretCatalogue) catalogue = load_catalogue ();
  static const char *odd[] = {
    "", "hello", "\xff\xfe\x80 4", "1.2.3.421 12345 4.17.55.1 5.8.1", "421421", "abc421 x",
  };
  g_autofree char *huge = g_malloc (1024 * 1024 + 1);
  g_autoptr(MdInterpretation) result = NULL;
  gint64 start;

  for (gsize i = 0; i < G_N_ELEMENTS (odd); i++)
    {
      g_autoptr(MdInterpretation) odd_result = md_interpret_error_text (catalogue, odd[i]);

      assert_no_code (odd_result);
    }

  result = md_interpret_error_text (catalogue, NULL);
  assert_no_code (result);
  g_clear_pointer (&result, md_interpretation_free);

  /* Invalid UTF-8 around a real reply: the reply is still read. */
  result = md_interpret_error_text (catalogue, "\xc3\x28 said: 421 4.7.0 \xff too many connections");
  assert_cause (result, MD_CAUSE_RATE_LIMITED);
  g_assert_true (g_utf8_validate (result->reply_text, -1, NULL));
  g_clear_pointer (&result, md_interpretation_free);

  /* 1 MB of text: only the first 64 KiB is read, so a reply past it is
   * not, and the answer comes at once. */
  memset (huge, 'a', 1024 * 1024);
  huge[1024 * 1024] = '\0';
  memcpy (huge + 1024 * 1024 - 30, " 421 4.7.0 too many connections", 30);
  start = g_get_monotonic_time ();
  result = md_interpret_error_text (catalogue, huge);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  assert_no_code (result);
  g_clear_pointer (&result, md_interpretation_free);

  memcpy (huge + 100, " 421 4.7.0 too many connections ", 32);
  result = md_interpret_error_text (catalogue, huge);
  assert_cause (result, MD_CAUSE_RATE_LIMITED);
  g_assert_cmpuint (strlen (result->reply_text), <=, 4096);
}

/* Wording alone, without a code, is a weaker hint. */
static void
test_words_only (void)
{
  g_autoptr(MdInterpretation) result = interpret ("Your IP was blocked using zen.spamhaus.org");

  assert_cause (result, MD_CAUSE_BLOCKLISTED);
  g_assert_cmpuint (result->code, ==, 0);
  g_assert_cmpfloat (result->confidence, <=, 0.5);
  g_assert_cmpfloat (result->confidence, >, 0);
}

static void
test_provider (void)
{
  g_autoptr(MdInterpretation) yahoo =
    interpret ("421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred");
  g_autoptr(MdInterpretation) google =
    interpret ("421 4.7.0 Try again later, closing connection. - gsmtp");
  g_autoptr(MdInterpretation) nobody = interpret ("421 4.3.2 Service not available");

  g_assert_cmpstr (yahoo->provider, ==, "Yahoo");
  g_assert_cmpstr (google->provider, ==, "Google");
  g_assert_null (nobody->provider);
}

static void
test_bad_catalogue (void)
{
  static const char *bad[] = {
    "",
    "[]",
    "{\"version\": 2}",
    "{\"version\": 1, \"rules\": [{\"id\": \"x\", \"markers\": [\"a\"], \"cause\": \"nope\", "
    "\"confidence\": 0.5, \"explanation\": \"e\", \"fixes\": []}], \"enhanced_codes\": [], "
    "\"reply_codes\": [], \"providers\": []}",
    "{\"version\": 1, \"rules\": [{\"id\": \"x\", \"markers\": [], \"cause\": \"unknown\", "
    "\"confidence\": 0.5, \"explanation\": \"e\", \"fixes\": []}], \"enhanced_codes\": [], "
    "\"reply_codes\": [], \"providers\": []}",
    "{\"version\": 1, \"rules\": [{\"id\": \"x\", \"markers\": [\"a\"], \"cause\": \"unknown\", "
    "\"confidence\": 0.5, \"explanation\": \"e\", \"fixes\": [\"reboot\"]}], "
    "\"enhanced_codes\": [], \"reply_codes\": [], \"providers\": []}",
    "{\"version\": 1, \"rules\": [], \"enhanced_codes\": [], \"reply_codes\": []}",
    "{\"version\": 1, \"rules\": [{\"id\": \"x\", \"markers\": [\"a\"], \"stages\": [\"hello\"], "
    "\"cause\": \"unknown\", \"confidence\": 0.5, \"explanation\": \"e\", \"fixes\": []}], "
    "\"enhanced_codes\": [], \"reply_codes\": [], \"providers\": []}",
    /* "requires" and "unless" are lists; "alone" is a confidence. */
    "{\"version\": 1, \"rules\": [{\"id\": \"x\", \"markers\": [\"a\"], \"requires\": \"b\", "
    "\"cause\": \"unknown\", \"confidence\": 0.5, \"explanation\": \"e\", \"fixes\": []}], "
    "\"enhanced_codes\": [], \"reply_codes\": [], \"providers\": []}",
    "{\"version\": 1, \"rules\": [{\"id\": \"x\", \"markers\": [\"a\"], \"unless\": [1], "
    "\"cause\": \"unknown\", \"confidence\": 0.5, \"explanation\": \"e\", \"fixes\": []}], "
    "\"enhanced_codes\": [], \"reply_codes\": [], \"providers\": []}",
    "{\"version\": 1, \"rules\": [{\"id\": \"x\", \"markers\": [\"a\"], \"alone\": 2, "
    "\"cause\": \"unknown\", \"confidence\": 0.5, \"explanation\": \"e\", \"fixes\": []}], "
    "\"enhanced_codes\": [], \"reply_codes\": [], \"providers\": []}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (bad[i], strlen (bad[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(MdInterpretCatalogue) catalogue =
        md_interpret_catalogue_new_from_bytes (bytes, &error);

      g_assert_null (catalogue);
      g_assert_nonnull (error);
    }
}

/* A live reply's step is known: the same words at the greeting and later
 * in the session mean the server's limit and the sender's. */
static void
test_live_reply (void)
{
  g_autoptr(MdInterpretCatalogue) catalogue = load_catalogue ();
  const char *text = "421 4.7.0 mx.example Error: too many connections from 192.0.2.7";
  g_autoptr(MdInterpretation) greeting = md_interpret_reply (catalogue, text,
                                                             MD_SMTP_STAGE_GREETING);
  g_autoptr(MdInterpretation) mail = md_interpret_reply (catalogue, text, MD_SMTP_STAGE_MAIL);
  g_autoptr(MdInterpretation) pasted = md_interpret_error_text (catalogue, text);

  assert_cause (greeting, MD_CAUSE_SERVER_BUSY);
  g_assert_true (greeting->has_stage);
  g_assert_cmpint (greeting->stage, ==, MD_SMTP_STAGE_GREETING);
  g_assert_cmpstr (greeting->fixes[0], ==, "retry-later");
  assert_cause (mail, MD_CAUSE_RATE_LIMITED);
  /* Pasted without saying when: the sender's limit, as most are. */
  assert_cause (pasted, MD_CAUSE_RATE_LIMITED);
}

typedef struct
{
  const char *text;
  MdCause     cause;
} CauseCase;

/* Every text of @cases is read as its cause, and with at least
 * @min_confidence. */
static void
assert_causes (const CauseCase *cases,
               gsize            n,
               double           min_confidence)
{
  g_autoptr(MdInterpretCatalogue) catalogue = load_catalogue ();

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(MdInterpretation) result = md_interpret_error_text (catalogue, cases[i].text);

      assert_cause (result, cases[i].cause);
      g_assert_cmpfloat (result->confidence, >=, min_confidence);
    }
}

/* What mail programs and libraries put around a reply comes off: the
 * reply's code, enhanced code and words are read as the server sent them. */
static void
test_wrappers (void)
{
  g_autoptr(MdInterpretCatalogue) catalogue = load_catalogue ();
  static const struct
  {
    const char *text;
    guint       code;
    const char *enhanced;
    MdCause     cause;
  } cases[] = {
    { "smtplib.SMTPAuthenticationError: (535, b'5.7.8 Username and Password not accepted.')",
      535, "5.7.8", MD_CAUSE_AUTH_FAILED },
    { "smtplib.SMTPDataError: (421, b'4.7.0 Try again later, closing connection.\\n"
      "4.7.0 (EHLO) - gsmtp')", 421, "4.7.0", MD_CAUSE_SETTINGS_WRONG },
    { "Expected response code 250 but got code \"421\", with message \"421 4.7.0 "
      "mx.example Error: too many connections from 192.0.2.1\"", 421, "4.7.0",
      MD_CAUSE_RATE_LIMITED },
    { "javax.mail.AuthenticationFailedException: 535-5.7.8 Username and Password not "
      "accepted. For more information, go to\\n535 5.7.8  https://support.google.com/mail/"
      "?p=BadCredentials", 535, "5.7.8", MD_CAUSE_AUTH_FAILED },
    { "Diagnostic-Code: smtp; 550-5.7.1 Unfortunately, messages from [192.0.2.9] weren't\n"
      "    550-5.7.1 sent. Please contact your Internet service provider since part of their\n"
      "    550-5.7.1 network is on our block\n    550 5.7.1 list (S3140).", 550, "5.7.1",
      MD_CAUSE_BLOCKLISTED },
    { "Remote Server returned '550 5.7.139 Authentication unsuccessful, "
      "SmtpClientAuthentication is disabled for the Tenant.'", 550, "5.7.139",
      MD_CAUSE_AUTH_FAILED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MdInterpretation) result = md_interpret_error_text (catalogue, cases[i].text);

      g_assert_cmpuint (result->code, ==, cases[i].code);
      g_assert_cmpstr (result->enhanced, ==, cases[i].enhanced);
      assert_cause (result, cases[i].cause);
    }
}

/* A specific phrase outranks a generic one: the reason behind a throttle,
 * the step named in the reply, a blocklist that would not answer. */
static void
test_specific_phrases (void)
{
  static const CauseCase cases[] = {
    { "421 4.7.29 Your email has been rate limited because this message wasn't sent over a "
      "TLS connection. - gsmtp", MD_CAUSE_TLS_PROBLEM },
    { "421 4.7.26 This mail has been rate limited because it is unauthenticated. Gmail "
      "requires all senders to authenticate with either SPF or DKIM.",
      MD_CAUSE_SENDER_AUTH_MISSING },
    { "451 4.7.650 The mail server [192.0.2.4] has been temporarily rate limited due to IP "
      "reputation.", MD_CAUSE_BLOCKLISTED },
    { "421-4.7.0 Try again later, closing connection. (EHLO)", MD_CAUSE_SETTINGS_WRONG },
    { "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; "
      "Error: open resolver; https://check.spamhaus.org/returnc/pub/192.0.2.53/",
      MD_CAUSE_UNKNOWN },
    { "451 Authentication failed: Maximum credits exceeded", MD_CAUSE_RATE_LIMITED },
    { "454 4.7.1 <bob@example.org>: Relay access denied", MD_CAUSE_SETTINGS_WRONG },
    { "530 5.7.0 Authentication Required", MD_CAUSE_SETTINGS_WRONG },
    { "450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.3]",
      MD_CAUSE_BLOCKLISTED },
    { "451 4.7.1 <a@example.org>: Recipient address rejected: Greylisted, please try again "
      "in 300 seconds", MD_CAUSE_SPAM_SUSPECTED },
    { "Error: 550 5.7.1 Rejected: message size exceeds fixed limit", MD_CAUSE_MESSAGE_TOO_LARGE },
  };

  assert_causes (cases, G_N_ELEMENTS (cases), 0.0);
}

/* Failures a mail program writes itself have no code, and their words are
 * all there is: what they name is said plainly. */
static void
test_client_failures (void)
{
  static const CauseCase cases[] = {
    { "connect error 10060", MD_CAUSE_NETWORK_BLOCKED },
    { "dial tcp 192.0.2.5:587: connect: no route to host", MD_CAUSE_NETWORK_BLOCKED },
    { "Host or domain name not found. Name service error for name=smtp.example.com type=A: "
      "Host not found, try again", MD_CAUSE_NETWORK_BLOCKED },
    { "Error: connect ECONNREFUSED 192.0.2.5:465", MD_CAUSE_SERVER_DOWN },
    { "The recipient server did not accept our requests to connect.", MD_CAUSE_SERVER_DOWN },
  };

  /* No code, but the words say it plainly. */
  assert_causes (cases, G_N_ELEMENTS (cases), 0.5);
}

/* No reason given: "unknown", with what the text does say, and the step. */
static void
test_no_reason (void)
{
  g_autoptr(MdInterpretation) bare = interpret ("421 4.3.2 Service not available, closing "
                                                "transmission channel");
  g_autoptr(MdInterpretation) at_mail =
    interpret ("said: 421 Service not available (in reply to MAIL FROM command)");
  g_autoptr(MdInterpretation) refused = interpret ("554 Transaction failed");

  g_assert_true (bare->cause == MD_CAUSE_SERVER_BUSY || bare->cause == MD_CAUSE_UNKNOWN);
  assert_cause (at_mail, MD_CAUSE_UNKNOWN);
  g_assert_cmpfloat (at_mail->confidence, >, 0);
  g_assert_cmpfloat (at_mail->confidence, <, 0.5);
  g_assert_nonnull (strstr (at_mail->explanation, "try again later and gave no reason"));
  g_assert_nonnull (strstr (at_mail->explanation, "sender’s address"));
  g_assert_cmpstr (at_mail->fixes[0], ==, "retry-later");
  assert_cause (refused, MD_CAUSE_UNKNOWN);
  g_assert_nonnull (strstr (refused->explanation, "refused and gave no reason"));

  /* Seen live, the same code is evidence of the server's state. */
  {
    g_autoptr(MdInterpretCatalogue) catalogue = load_catalogue ();
    g_autoptr(MdInterpretation) live = md_interpret_reply (catalogue, "421 Service not available",
                                                           MD_SMTP_STAGE_GREETING);

    g_assert_true (live->cause != MD_CAUSE_UNKNOWN);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/md/core/interpret/known-replies", test_known_replies);
  g_test_add_func ("/md/core/interpret/more-replies", test_more_replies);
  g_test_add_func ("/md/core/interpret/paste-forms", test_paste_forms);
  g_test_add_func ("/md/core/interpret/stage", test_stage);
  g_test_add_func ("/md/core/interpret/live-reply", test_live_reply);
  g_test_add_func ("/md/core/interpret/fallback", test_fallback);
  g_test_add_func ("/md/core/interpret/odd-input", test_odd_input);
  g_test_add_func ("/md/core/interpret/words-only", test_words_only);
  g_test_add_func ("/md/core/interpret/provider", test_provider);
  g_test_add_func ("/md/core/interpret/bad-catalogue", test_bad_catalogue);
  g_test_add_func ("/md/core/interpret/wrappers", test_wrappers);
  g_test_add_func ("/md/core/interpret/specific-phrases", test_specific_phrases);
  g_test_add_func ("/md/core/interpret/client-failures", test_client_failures);
  g_test_add_func ("/md/core/interpret/no-reason", test_no_reason);

  return g_test_run ();
}
