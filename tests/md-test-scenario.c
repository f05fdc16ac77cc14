/* md-test-scenario.c: the hostile peer's named scenarios
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scenarios, named as in kb/anchors-reliability.md §3.6: each builds a
 * script from the public MdTestScript steps only.
 */

#include <string.h>

#include "md-test-peer.h"

#define GREETING "220 mx.test.example ESMTP Mail Doctor test peer\r\n"

/* AUTH is offered in the clear too, as many servers do, so a client that
 * would log in before TLS gets the chance to show it. */
#define EHLO_STARTTLS \
  "250-mx.test.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n" \
  "250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
#define EHLO_NO_STARTTLS \
  "250-mx.test.example\r\n250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
#define EHLO_AFTER_TLS \
  "250-mx.test.example\r\n250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"

/* Long enough to record a QUIT the client sends after a 421, short enough
 * not to slow a client that waits for an answer that never comes. */
#define QUIT_WINDOW_MS 500

#define OVERLONG_LEN 100000

typedef void (*ScenarioFunc) (MdTestScript    *script,
                              GTlsCertificate *certificate);

static void
script_greet (MdTestScript *s,
              const char   *ehlo_reply)
{
  md_test_script_send (s, GREETING, -1);
  md_test_script_expect (s);
  md_test_script_send (s, ehlo_reply, -1);
}

/* Servers close after a 421; the drain records a QUIT sent anyway. */
static void
script_close_with (MdTestScript *s,
                   const char   *reply)
{
  md_test_script_send (s, reply, -1);
  md_test_script_drain (s, QUIT_WINDOW_MS);
}

/* Greeting, EHLO, STARTTLS, handshake and the EHLO over TLS. */
static void
script_tls_session (MdTestScript    *s,
                    GTlsCertificate *certificate)
{
  script_greet (s, EHLO_STARTTLS);
  md_test_script_expect (s);
  md_test_script_send (s, "220 2.0.0 Ready to start TLS\r\n", -1);
  md_test_script_start_tls (s, certificate);
  md_test_script_expect (s);
  md_test_script_send (s, EHLO_AFTER_TLS, -1);
}

static void
scenario_greet421 (MdTestScript    *s,
                   GTlsCertificate *certificate)
{
  script_close_with (s, "421 4.7.0 mx.test.example Error: too many connections from 127.0.0.1\r\n");
}

static void
scenario_greet421_ml (MdTestScript    *s,
                      GTlsCertificate *certificate)
{
  script_close_with (s,
                     "421-4.7.0 mx.test.example Error: too many connections from 127.0.0.1\r\n"
                     "421 4.7.0 Please try again later\r\n");
}

static void
scenario_silent (MdTestScript    *s,
                 GTlsCertificate *certificate)
{
  md_test_script_hold (s);
}

static void
scenario_slowloris (MdTestScript    *s,
                    GTlsCertificate *certificate)
{
  md_test_script_drip (s, GREETING, 1000);
  md_test_script_serve (s, "\r\n");
}

static void
scenario_close_mid_reply (MdTestScript    *s,
                          GTlsCertificate *certificate)
{
  script_greet (s, "250-first\r\n");
  md_test_script_close (s);
}

static void
scenario_overlong (MdTestScript    *s,
                   GTlsCertificate *certificate)
{
  g_autofree char *line = g_malloc (OVERLONG_LEN);

  memset (line, 'x', OVERLONG_LEN);
  memcpy (line, "220 ", 4);
  md_test_script_send (s, line, OVERLONG_LEN);
  md_test_script_hold (s);
}

static void
scenario_nul (MdTestScript    *s,
              GTlsCertificate *certificate)
{
  static const char greeting[] = "220 mx\0evil\r\n";

  md_test_script_send (s, greeting, sizeof greeting - 1);
  md_test_script_expect (s);
  md_test_script_send (s, EHLO_NO_STARTTLS, -1);
  md_test_script_serve (s, "\r\n");
}

static void
scenario_bare_lf (MdTestScript    *s,
                  GTlsCertificate *certificate)
{
  md_test_script_send (s, "220 mx.test.example ESMTP\n", -1);
  md_test_script_expect (s);
  md_test_script_send (s, "250-mx.test.example\n250-SIZE 10240000\n250 8BITMIME\n", -1);
  md_test_script_serve (s, "\n");
}

static void
scenario_mixed_codes (MdTestScript    *s,
                      GTlsCertificate *certificate)
{
  script_greet (s, "250-a\r\n220 b\r\n");
  md_test_script_serve (s, "\r\n");
}

static void
scenario_ehlo421 (MdTestScript    *s,
                  GTlsCertificate *certificate)
{
  md_test_script_send (s, GREETING, -1);
  md_test_script_expect (s);
  script_close_with (s, "421 4.7.0 mx.test.example Error: too many errors\r\n");
}

static void
scenario_starttls_454 (MdTestScript    *s,
                       GTlsCertificate *certificate)
{
  script_greet (s, EHLO_STARTTLS);
  md_test_script_expect (s);
  md_test_script_send (s, "454 4.7.0 TLS not available due to local problem\r\n", -1);
  md_test_script_serve (s, "\r\n");
}

static void
scenario_starttls_421 (MdTestScript    *s,
                       GTlsCertificate *certificate)
{
  script_greet (s, EHLO_STARTTLS);
  md_test_script_expect (s);
  script_close_with (s, "421 4.7.0 mx.test.example Error: TLS not available, closing\r\n");
}

/* Plaintext after the 220 arrives in the same read as the 220; a client
 * that keeps it would take it for the server's answer after TLS. */
static void
scenario_starttls_inject (MdTestScript    *s,
                          GTlsCertificate *certificate)
{
  script_greet (s, EHLO_STARTTLS);
  md_test_script_expect (s);
  md_test_script_send (s, "220 go ahead\r\n250-INJECTED\r\n250 AUTH PLAIN\r\n", -1);
  md_test_script_start_tls (s, certificate);
  md_test_script_expect (s);
  md_test_script_send (s, EHLO_AFTER_TLS, -1);
  md_test_script_serve (s, "\r\n");
}

/* The same plaintext a moment after the 220, in a read of its own: the
 * client has started TLS by then, and must take it for a broken handshake,
 * never for the server's answer. */
static void
scenario_starttls_inject_late (MdTestScript    *s,
                               GTlsCertificate *certificate)
{
  script_greet (s, EHLO_STARTTLS);
  md_test_script_expect (s);
  md_test_script_send (s, "220 go ahead\r\n", -1);
  md_test_script_sleep (s, 50);
  md_test_script_send (s, "250-INJECTED\r\n250 AUTH PLAIN\r\n235 2.7.0 Accepted\r\n", -1);
  md_test_script_start_tls (s, certificate);
  md_test_script_expect (s);
  md_test_script_send (s, EHLO_AFTER_TLS, -1);
  md_test_script_serve (s, "\r\n");
}

static void
scenario_starttls_missing (MdTestScript    *s,
                           GTlsCertificate *certificate)
{
  script_greet (s, EHLO_NO_STARTTLS);
  md_test_script_serve (s, "\r\n");
}

static void
scenario_starttls_ok (MdTestScript    *s,
                      GTlsCertificate *certificate)
{
  script_tls_session (s, certificate);
  md_test_script_serve (s, "\r\n");
}

static void
scenario_tls_auth421 (MdTestScript    *s,
                      GTlsCertificate *certificate)
{
  script_tls_session (s, certificate);
  md_test_script_expect (s);
  script_close_with (s, "421 4.7.0 mx.test.example Error: too many authentication errors\r\n");
}

/* Fifteen more ways a server misbehaves, each the kind a real one has
 * shown: broken bytes, a web server on the mail port, a reply without a
 * code, a flood of extension lines, a TLS promise not kept. */

static void
scenario_invalid_utf8 (MdTestScript    *s,
                       GTlsCertificate *certificate)
{
  md_test_script_send (s, "220 mx.test.example \xff\xfe\xc3 ESMTP\r\n", -1);
  md_test_script_expect (s);
  md_test_script_send (s, EHLO_NO_STARTTLS, -1);
  md_test_script_serve (s, "\r\n");
}

static void
scenario_term_escapes (MdTestScript    *s,
                       GTlsCertificate *certificate)
{
  md_test_script_send (s, "220 mx\x1b[2J\x1b]0;owned\x07 ESMTP\r\n", -1);
  md_test_script_expect (s);
  md_test_script_send (s, EHLO_NO_STARTTLS, -1);
  md_test_script_serve (s, "\r\n");
}

static void
scenario_code_999 (MdTestScript    *s,
                   GTlsCertificate *certificate)
{
  script_close_with (s, "999 what is this\r\n");
}

static void
scenario_no_code (MdTestScript    *s,
                  GTlsCertificate *certificate)
{
  script_close_with (s, "hello there\r\n");
}

static void
scenario_http (MdTestScript    *s,
               GTlsCertificate *certificate)
{
  script_close_with (s, "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n"
                        "<html><script>alert(1)</script></html>\r\n");
}

static void
scenario_greet554 (MdTestScript    *s,
                   GTlsCertificate *certificate)
{
  script_close_with (s, "554 5.7.1 No SMTP service here\r\n");
}

static void
scenario_greet_close (MdTestScript    *s,
                      GTlsCertificate *certificate)
{
  md_test_script_send (s, GREETING, -1);
  md_test_script_close (s);
}

static void
scenario_ehlo500 (MdTestScript    *s,
                  GTlsCertificate *certificate)
{
  md_test_script_send (s, GREETING, -1);
  md_test_script_expect (s);
  md_test_script_send (s, "500 5.5.1 Command unrecognized\r\n", -1);
  md_test_script_serve (s, "\r\n");
}

static void
scenario_ehlo_flood (MdTestScript    *s,
                     GTlsCertificate *certificate)
{
  g_autoptr(GString) flood = g_string_new ("250-mx.test.example\r\n");

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (flood, "250-X-FLOOD-%u\r\n", i);
  g_string_append (flood, "250 8BITMIME\r\n");

  md_test_script_send (s, GREETING, -1);
  md_test_script_expect (s);
  md_test_script_send (s, flood->str, flood->len);
  md_test_script_serve (s, "\r\n");
}

static void
scenario_starttls_garbage (MdTestScript    *s,
                           GTlsCertificate *certificate)
{
  script_greet (s, EHLO_STARTTLS);
  md_test_script_expect (s);
  md_test_script_send (s, "220 2.0.0 Ready to start TLS\r\n", -1);
  md_test_script_send (s, "this is not a TLS handshake at all\r\n", -1);
  md_test_script_close (s);
}

static void
scenario_huge_size (MdTestScript    *s,
                    GTlsCertificate *certificate)
{
  script_greet (s, "250-mx.test.example\r\n250-SIZE 99999999999999999999999999\r\n"
                   "250 8BITMIME\r\n");
  md_test_script_serve (s, "\r\n");
}

static void
scenario_no_space (MdTestScript    *s,
                   GTlsCertificate *certificate)
{
  md_test_script_send (s, "220mx.test.example\r\n", -1);
  md_test_script_expect (s);
  md_test_script_send (s, EHLO_NO_STARTTLS, -1);
  md_test_script_serve (s, "\r\n");
}

static void
scenario_ehlo_empty (MdTestScript    *s,
                     GTlsCertificate *certificate)
{
  script_greet (s, "250\r\n");
  md_test_script_serve (s, "\r\n");
}

static void
scenario_greet_mixed (MdTestScript    *s,
                      GTlsCertificate *certificate)
{
  script_close_with (s, "220-mx.test.example welcome\r\n421 4.3.2 going down\r\n");
}

static void
scenario_greet_flood (MdTestScript    *s,
                      GTlsCertificate *certificate)
{
  g_autoptr(GString) flood = g_string_new (NULL);

  /* A banner that never ends, a line at a time: the reader's line limit
   * and the step's deadline must both hold. */
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (flood, "220-banner line %u\r\n", i);

  md_test_script_send (s, flood->str, flood->len);
  md_test_script_hold (s);
}

static void
scenario_code_4213 (MdTestScript    *s,
                    GTlsCertificate *certificate)
{
  script_close_with (s, "4213 4.7.0 four digits\r\n");
}

static void
scenario_code_42 (MdTestScript    *s,
                  GTlsCertificate *certificate)
{
  script_close_with (s, "42 two digits\r\n");
}

static void
scenario_code_negative (MdTestScript    *s,
                        GTlsCertificate *certificate)
{
  script_close_with (s, "-421 a sign\r\n");
}

static void
scenario_ehlo_421_mid (MdTestScript    *s,
                       GTlsCertificate *certificate)
{
  script_greet (s, "250-mx.test.example\r\n421-4.7.0 too busy\r\n250 8BITMIME\r\n");
  md_test_script_serve (s, "\r\n");
}

static void
scenario_bare_cr (MdTestScript    *s,
                  GTlsCertificate *certificate)
{
  md_test_script_send (s, "220 mx.test.example\rEVIL ESMTP\r\n", -1);
  md_test_script_expect (s);
  md_test_script_send (s, "250-mx.test.example\r250-EVIL\r\n250 8BITMIME\r\n", -1);
  md_test_script_serve (s, "\r\n");
}


/* Servers that go away at the worst moment, or that dribble: each stage of
 * the session once, the way real peers (firewalls, overloaded or broken
 * servers, middleboxes) do it. */

/* The EHLO reply over TLS stops half way, with a clean TLS close: no
 * truncation error to hide behind, just a reply that never ends. */
static void
scenario_tls_close_mid_ehlo (MdTestScript    *s,
                             GTlsCertificate *certificate)
{
  script_greet (s, EHLO_STARTTLS);
  md_test_script_expect (s);
  md_test_script_send (s, "220 2.0.0 Ready to start TLS\r\n", -1);
  md_test_script_start_tls (s, certificate);
  md_test_script_expect (s);
  md_test_script_send (s, "250-mx.test.example\r\n250-SIZE 10240000\r\n", -1);
  md_test_script_close_notify (s);
}

/* Fixed bytes that look random: a test must fail the same way each run. */
static GBytes *
noise (gsize len)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = g_rand_int_range (rand, 0, 256);

  return g_bytes_new_take (data, len);
}

/* After the handshake, bytes that are no TLS record at all, written under
 * the TLS layer: the client's TLS must refuse them. */
static void
scenario_tls_raw_garbage (MdTestScript    *s,
                          GTlsCertificate *certificate)
{
  g_autoptr(GBytes) bytes = noise (512);

  script_greet (s, EHLO_STARTTLS);
  md_test_script_expect (s);
  md_test_script_send (s, "220 2.0.0 Ready to start TLS\r\n", -1);
  md_test_script_start_tls (s, certificate);
  md_test_script_expect (s);
  md_test_script_send_raw (s, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  md_test_script_drain (s, QUIT_WINDOW_MS);
}

/* Random bytes inside well-formed TLS records, instead of the EHLO reply. */
static void
scenario_tls_noise_reply (MdTestScript    *s,
                          GTlsCertificate *certificate)
{
  g_autoptr(GBytes) bytes = noise (4096);

  script_greet (s, EHLO_STARTTLS);
  md_test_script_expect (s);
  md_test_script_send (s, "220 2.0.0 Ready to start TLS\r\n", -1);
  md_test_script_start_tls (s, certificate);
  md_test_script_expect (s);
  md_test_script_send (s, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  md_test_script_drain (s, QUIT_WINDOW_MS);
}

/* The pause lets the client finish connecting and wait for the greeting:
 * a reset at once could land while it still connects, and fail that. */
static void
scenario_reset_greeting (MdTestScript    *s,
                         GTlsCertificate *certificate)
{
  md_test_script_sleep (s, 100);
  md_test_script_reset (s);
}

static void
scenario_reset_ehlo (MdTestScript    *s,
                     GTlsCertificate *certificate)
{
  md_test_script_send (s, GREETING, -1);
  md_test_script_expect (s);
  md_test_script_reset (s);
}

static void
scenario_reset_starttls (MdTestScript    *s,
                         GTlsCertificate *certificate)
{
  script_greet (s, EHLO_STARTTLS);
  md_test_script_expect (s);
  md_test_script_reset (s);
}

/* The pause lets the ClientHello arrive, so the reset lands while the
 * client waits for the ServerHello. */
static void
scenario_reset_handshake (MdTestScript    *s,
                          GTlsCertificate *certificate)
{
  script_greet (s, EHLO_STARTTLS);
  md_test_script_expect (s);
  md_test_script_send (s, "220 2.0.0 Ready to start TLS\r\n", -1);
  md_test_script_sleep (s, 100);
  md_test_script_reset (s);
}

static void
scenario_reset_auth (MdTestScript    *s,
                     GTlsCertificate *certificate)
{
  script_tls_session (s, certificate);
  md_test_script_expect (s);
  md_test_script_reset (s);
}

/* Everything worked; only the goodbye is cut. */
static void
scenario_reset_quit (MdTestScript    *s,
                     GTlsCertificate *certificate)
{
  script_tls_session (s, certificate);
  md_test_script_expect (s);
  md_test_script_send (s, "235 2.7.0 Authentication successful\r\n", -1);
  md_test_script_expect (s);
  md_test_script_reset (s);
}

/* A byte every 200 ms: the reply would take seconds, longer than the
 * tests' step deadline. */
#define DRIP_MS 200

static void
scenario_drip_ehlo (MdTestScript    *s,
                    GTlsCertificate *certificate)
{
  md_test_script_send (s, GREETING, -1);
  md_test_script_expect (s);
  md_test_script_drip (s, EHLO_NO_STARTTLS, DRIP_MS);
  md_test_script_serve (s, "\r\n");
}

static void
scenario_drip_tls_ehlo (MdTestScript    *s,
                        GTlsCertificate *certificate)
{
  script_greet (s, EHLO_STARTTLS);
  md_test_script_expect (s);
  md_test_script_send (s, "220 2.0.0 Ready to start TLS\r\n", -1);
  md_test_script_start_tls (s, certificate);
  md_test_script_expect (s);
  md_test_script_drip (s, EHLO_AFTER_TLS, DRIP_MS);
  md_test_script_serve (s, "\r\n");
}

/* STARTTLS's go-ahead, a byte at a time: the client must not start TLS on
 * half a reply, and gives up at its deadline. */
static void
scenario_drip_starttls (MdTestScript    *s,
                        GTlsCertificate *certificate)
{
  script_greet (s, EHLO_STARTTLS);
  md_test_script_expect (s);
  md_test_script_drip (s, "220 2.0.0 Ready to start TLS\r\n", DRIP_MS);
  md_test_script_serve (s, "\r\n");
}

/* The answer to AUTH, a byte at a time over TLS. */
static void
scenario_drip_auth (MdTestScript    *s,
                    GTlsCertificate *certificate)
{
  script_tls_session (s, certificate);
  md_test_script_expect (s);
  md_test_script_drip (s, "235 2.7.0 Authentication successful\r\n", DRIP_MS);
  md_test_script_serve (s, "\r\n");
}

/* Accepts, then says nothing more ever (FIN), while still reading. */
static void
scenario_half_close (MdTestScript    *s,
                     GTlsCertificate *certificate)
{
  md_test_script_half_close (s);
  md_test_script_hold (s);
}

/* AUTH over TLS, with only the mechanism the scenario offers. */
static void
script_auth_session (MdTestScript    *s,
                     GTlsCertificate *certificate,
                     const char      *mechanism)
{
  g_autofree char *ehlo = g_strdup_printf ("250-mx.test.example\r\n250 AUTH %s\r\n", mechanism);

  script_greet (s, EHLO_STARTTLS);
  md_test_script_expect (s);
  md_test_script_send (s, "220 2.0.0 Ready to start TLS\r\n", -1);
  md_test_script_start_tls (s, certificate);
  md_test_script_expect (s);
  md_test_script_send (s, ehlo, -1);
  md_test_script_expect (s);
}

/* CRAM-MD5 decodes the challenge: one that is no base64 must still give a
 * bounded answer (any), and the server's verdict then counts. */
static void
scenario_auth_garbage (MdTestScript    *s,
                       GTlsCertificate *certificate)
{
  script_auth_session (s, certificate, "CRAM-MD5");
  md_test_script_send (s, "334 %%% not base64 at all \xff\xfe !!!\r\n", -1);
  md_test_script_expect (s);
  md_test_script_send (s, "535 5.7.8 Error: authentication failed\r\n", -1);
  md_test_script_serve (s, "\r\n");
}

/* A 334 with no text at all, where a challenge must be. */
static void
scenario_auth_bare_334 (MdTestScript    *s,
                        GTlsCertificate *certificate)
{
  script_auth_session (s, certificate, "CRAM-MD5");
  md_test_script_send (s, "334\r\n", -1);
  md_test_script_expect (s);
  md_test_script_send (s, "535 5.7.8 Error: authentication failed\r\n", -1);
  md_test_script_serve (s, "\r\n");
}

/* Asks for more, forever: far more rounds than any mechanism needs. */
#define AUTH_LOOP_ROUNDS 50

static void
scenario_auth_loop (MdTestScript    *s,
                    GTlsCertificate *certificate)
{
  script_auth_session (s, certificate, "LOGIN");
  for (guint i = 0; i < AUTH_LOOP_ROUNDS; i++)
    {
      md_test_script_send (s, "334 UGFzc3dvcmQ6\r\n", -1);
      md_test_script_expect (s);
    }
  md_test_script_hold (s);
}

static const struct
{
  const char   *name;
  ScenarioFunc  build;
  gboolean      needs_tls;
} scenarios[] = {
  { "greet421", scenario_greet421, FALSE },
  { "greet421-ml", scenario_greet421_ml, FALSE },
  { "silent", scenario_silent, FALSE },
  { "slowloris", scenario_slowloris, FALSE },
  { "close-mid-reply", scenario_close_mid_reply, FALSE },
  { "overlong", scenario_overlong, FALSE },
  { "nul", scenario_nul, FALSE },
  { "bare-lf", scenario_bare_lf, FALSE },
  { "mixed-codes", scenario_mixed_codes, FALSE },
  { "ehlo421", scenario_ehlo421, FALSE },
  { "starttls-454", scenario_starttls_454, FALSE },
  { "starttls-421", scenario_starttls_421, FALSE },
  { "starttls-inject", scenario_starttls_inject, TRUE },
  { "starttls-inject-late", scenario_starttls_inject_late, TRUE },
  { "starttls-missing", scenario_starttls_missing, FALSE },
  { "starttls-ok", scenario_starttls_ok, TRUE },
  { "tls-auth421", scenario_tls_auth421, TRUE },
  { "invalid-utf8", scenario_invalid_utf8, FALSE },
  { "term-escapes", scenario_term_escapes, FALSE },
  { "code-999", scenario_code_999, FALSE },
  { "no-code", scenario_no_code, FALSE },
  { "http", scenario_http, FALSE },
  { "greet554", scenario_greet554, FALSE },
  { "greet-close", scenario_greet_close, FALSE },
  { "ehlo500", scenario_ehlo500, FALSE },
  { "ehlo-flood", scenario_ehlo_flood, FALSE },
  { "starttls-garbage", scenario_starttls_garbage, TRUE },
  { "huge-size", scenario_huge_size, FALSE },
  { "no-space", scenario_no_space, FALSE },
  { "ehlo-empty", scenario_ehlo_empty, FALSE },
  { "greet-mixed", scenario_greet_mixed, FALSE },
  { "greet-flood", scenario_greet_flood, FALSE },
  { "code-4213", scenario_code_4213, FALSE },
  { "code-42", scenario_code_42, FALSE },
  { "code-negative", scenario_code_negative, FALSE },
  { "ehlo-421-mid", scenario_ehlo_421_mid, FALSE },
  { "bare-cr", scenario_bare_cr, FALSE },
  { "tls-close-mid-ehlo", scenario_tls_close_mid_ehlo, TRUE },
  { "tls-raw-garbage", scenario_tls_raw_garbage, TRUE },
  { "tls-noise-reply", scenario_tls_noise_reply, TRUE },
  { "reset-greeting", scenario_reset_greeting, FALSE },
  { "reset-ehlo", scenario_reset_ehlo, FALSE },
  { "reset-starttls", scenario_reset_starttls, FALSE },
  { "reset-handshake", scenario_reset_handshake, FALSE },
  { "reset-auth", scenario_reset_auth, TRUE },
  { "reset-quit", scenario_reset_quit, TRUE },
  { "drip-ehlo", scenario_drip_ehlo, FALSE },
  { "drip-tls-ehlo", scenario_drip_tls_ehlo, TRUE },
  { "drip-starttls", scenario_drip_starttls, FALSE },
  { "drip-auth", scenario_drip_auth, TRUE },
  { "half-close", scenario_half_close, FALSE },
  { "auth-garbage", scenario_auth_garbage, TRUE },
  { "auth-bare-334", scenario_auth_bare_334, TRUE },
  { "auth-loop", scenario_auth_loop, TRUE },
};

/**
 * md_test_script_new_scenario:
 * @name: a scenario name, e.g. "greet421" or "starttls-ok"
 * @certificate: (nullable): the server certificate, for scenarios with TLS
 * @password: (nullable): the password AUTH accepts for %MD_TEST_PEER_USER
 *
 * Returns: (transfer full) (nullable): the scenario's script, or %NULL when
 *   @name is unknown
 */
MdTestScript *
md_test_script_new_scenario (const char      *name,
                             GTlsCertificate *certificate,
                             const char      *password)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      MdTestScript *script;

      if (strcmp (scenarios[i].name, name) != 0)
        continue;

      g_return_val_if_fail (!scenarios[i].needs_tls || G_IS_TLS_CERTIFICATE (certificate), NULL);

      script = md_test_script_new ();
      md_test_script_set_password (script, password);
      scenarios[i].build (script, certificate);
      return script;
    }

  return NULL;
}
