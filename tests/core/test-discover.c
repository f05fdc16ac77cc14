/* test-discover.c: settings discovery from the provider table, SRV, MX and
 * guesses
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DNS comes from the fake resolver; guesses probe an in-process SMTP peer
 * on 127.0.0.1, on a port of the system's choosing instead of 587, which a
 * test cannot listen on without root. Expected provider settings are read
 * from the knowledge base itself, so the tests follow its data.
 */

#include <locale.h>
#include <string.h>

#include "md-discover-private.h"
#include "md-error.h"
#include "md-test-peer.h"
#include "md-test-resolver.h"
#include "md-test-utils.h"

#define TIMEOUT_MS 5000
/* Room for the main loop around the call's own deadline. */
#define SLACK_MS   1000

typedef struct
{
  MdKb           *kb;
  MdTestResolver *resolver;
  guint           closed_port;  /* nothing listens there */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->kb = md_kb_new (&error);
  g_assert_no_error (error);
  f->resolver = md_test_resolver_new ();
  md_test_resolver_install (f->resolver);
  f->closed_port = md_test_free_port ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* Lookups cut short by the deadline report back after the call has
   * returned; they hold the resolver until then. */
  md_test_resolver_uninstall (f->resolver);
  md_test_wait_finalized (g_steal_pointer (&f->resolver), MD_TEST_RELEASE_TIMEOUT_MS);
  md_test_wait_finalized (g_steal_pointer (&f->kb), MD_TEST_RELEASE_TIMEOUT_MS);
}

static GPtrArray *
discover_with_tls_port (Fixture     *f,
                        const char  *email,
                        guint        timeout_ms,
                        guint        starttls_port,
                        guint        tls_port,
                        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  _md_discover_with_ports_async (f->kb, email, timeout_ms, starttls_port, tls_port,
                                 NULL, md_test_store_result, &result);
  md_test_wait_result (&result, timeout_ms + SLACK_MS);

  return md_discover_finish (result, error);
}

static GPtrArray *
discover_with_ports (Fixture     *f,
                     const char  *email,
                     guint        timeout_ms,
                     guint        starttls_port,
                     GError     **error)
{
  return discover_with_tls_port (f, email, timeout_ms, starttls_port, f->closed_port, error);
}

/* With guesses aimed at a closed port, so that only DNS can answer. */
static GPtrArray *
discover (Fixture    *f,
          const char *email)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *suggestions = discover_with_ports (f, email, TIMEOUT_MS, f->closed_port, &error);

  g_assert_no_error (error);
  g_assert_nonnull (suggestions);
  return suggestions;
}

static const MdSuggestion *
get (GPtrArray *suggestions,
     guint      index)
{
  g_assert_cmpuint (index, <, suggestions->len);
  return g_ptr_array_index (suggestions, index);
}

static void
assert_suggestion (const MdSuggestion *s,
                   const char         *host,
                   guint               port,
                   MdSecurity          security,
                   MdDiscoverSource    source)
{
  g_assert_cmpstr (s->host, ==, host);
  g_assert_cmpuint (s->port, ==, port);
  g_assert_cmpint (s->security, ==, security);
  g_assert_cmpint (s->source, ==, source);
  g_assert_nonnull (s->source_detail);
}

static MdTestPeer *
smtp_peer_new (const char *greeting)
{
  MdTestScript *script = md_test_script_new ();

  md_test_script_send (script, greeting, -1);
  md_test_script_serve (script, "\r\n");

  return md_test_peer_new (script);
}

/* Provider table */

static void
test_provider (Fixture       *f,
               gconstpointer  data)
{
  const MdProvider *gmail = md_kb_find_provider_by_domain (f->kb, "gmail.com");
  g_autoptr(GPtrArray) suggestions = NULL;
  g_autoptr(MdTestPeer) peer = smtp_peer_new ("220 smtp.gmail.com ESMTP\r\n");
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (gmail);
  g_assert_cmpstr (gmail->host, ==, "smtp.gmail.com");

  /* A guess would find this peer; with the provider known, none may run. */
  md_test_resolver_add_address (f->resolver, "smtp.gmail.com", "127.0.0.1");
  suggestions = discover_with_ports (f, "Sam@GMail.com", TIMEOUT_MS,
                                     md_test_peer_get_port (peer), &error);
  g_assert_no_error (error);

  g_assert_cmpuint (suggestions->len, ==, 2);
  assert_suggestion (get (suggestions, 0), "smtp.gmail.com", 587, MD_SECURITY_STARTTLS,
                     MD_DISCOVER_SOURCE_PROVIDER);
  assert_suggestion (get (suggestions, 1), "smtp.gmail.com", 465, MD_SECURITY_TLS,
                     MD_DISCOVER_SOURCE_PROVIDER);
  g_assert_true (get (suggestions, 0)->app_password);
  g_assert_nonnull (get (suggestions, 0)->notes);
  g_assert_nonnull (strstr (get (suggestions, 0)->source_detail, gmail->name));
  g_assert_false (get (suggestions, 0)->needs_confirmation);
  g_assert_false (get (suggestions, 0)->answered);
  g_assert_cmpuint (md_test_peer_get_n_connections (peer), ==, 0);
}

/* SRV */

static void
test_srv_inside (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) suggestions = NULL;

  md_test_resolver_add_srv (f->resolver, "_submissions._tcp.example.test", 0, 1, 465,
                            "smtp.example.test");
  md_test_resolver_add_srv (f->resolver, "_submission._tcp.example.test", 0, 1, 587,
                            "example.test");
  suggestions = discover (f, "sam@example.test");

  g_assert_cmpuint (suggestions->len, ==, 2);
  assert_suggestion (get (suggestions, 0), "smtp.example.test", 465, MD_SECURITY_TLS,
                     MD_DISCOVER_SOURCE_SUBMISSIONS);
  assert_suggestion (get (suggestions, 1), "example.test", 587, MD_SECURITY_STARTTLS,
                     MD_DISCOVER_SOURCE_SUBMISSION);
  g_assert_false (get (suggestions, 0)->needs_confirmation);
  g_assert_false (get (suggestions, 1)->needs_confirmation);
  g_assert_false (get (suggestions, 0)->answered);
}

static void
test_srv_outside (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) suggestions = NULL;

  md_test_resolver_add_srv (f->resolver, "_submission._tcp.example.test", 0, 1, 587,
                            "smtp.hoster.test");
  /* A name that only ends like the domain is outside it too. */
  md_test_resolver_add_srv (f->resolver, "_submission._tcp.example.test", 10, 1, 2525,
                            "badexample.test");
  suggestions = discover (f, "sam@example.test");

  g_assert_cmpuint (suggestions->len, ==, 2);
  assert_suggestion (get (suggestions, 0), "smtp.hoster.test", 587, MD_SECURITY_STARTTLS,
                     MD_DISCOVER_SOURCE_SUBMISSION);
  assert_suggestion (get (suggestions, 1), "badexample.test", 2525, MD_SECURITY_STARTTLS,
                     MD_DISCOVER_SOURCE_SUBMISSION);
  for (guint i = 0; i < suggestions->len; i++)
    {
      g_assert_true (get (suggestions, i)->needs_confirmation);
      g_assert_nonnull (strstr (get (suggestions, i)->source_detail, "outside example.test"));
    }
}

static void
test_srv_no_service (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) suggestions = NULL;

  md_test_resolver_add_srv (f->resolver, "_submissions._tcp.example.test", 0, 0, 0, ".");
  md_test_resolver_add_srv (f->resolver, "_submission._tcp.example.test", 0, 0, 0, ".");
  suggestions = discover (f, "sam@example.test");

  g_assert_cmpuint (suggestions->len, ==, 0);
}

/* MX */

static void
test_mx (Fixture       *f,
         gconstpointer  data)
{
  const char *exchange = "example-com.mail.protection.outlook.com";
  const MdProvider *microsoft = md_kb_find_provider_by_mx (f->kb, exchange);
  g_autoptr(GPtrArray) suggestions = NULL;

  g_assert_nonnull (microsoft);
  g_assert_nonnull (strstr (microsoft->name, "Microsoft 365"));

  /* The preferred exchange is unknown; the next one tells the provider. */
  md_test_resolver_add_mx (f->resolver, "example.com", 5, "mx1.example.com");
  md_test_resolver_add_mx (f->resolver, "example.com", 10, exchange);
  suggestions = discover (f, "sam@example.com");

  g_assert_cmpuint (suggestions->len, >=, 1);
  assert_suggestion (get (suggestions, 0), microsoft->host, microsoft->port, microsoft->security,
                     MD_DISCOVER_SOURCE_MX);
  g_assert_nonnull (strstr (get (suggestions, 0)->source_detail, "handled by"));
  g_assert_nonnull (strstr (get (suggestions, 0)->source_detail, microsoft->name));
  for (guint i = 0; i < suggestions->len; i++)
    g_assert_cmpint (get (suggestions, i)->source, ==, MD_DISCOVER_SOURCE_MX);
}

/* Guesses */

static void
test_guess (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(MdTestPeer) peer = smtp_peer_new ("220 smtp.guess.test ESMTP\r\n");
  g_autoptr(GPtrArray) suggestions = NULL;
  g_autoptr(GError) error = NULL;
  guint port = md_test_peer_get_port (peer);

  /* The peer listens on 127.0.0.1 only: the first address refuses. */
  md_test_resolver_add_address (f->resolver, "smtp.guess.test", "127.0.0.2");
  md_test_resolver_add_address (f->resolver, "smtp.guess.test", "127.0.0.1");
  md_test_resolver_add_address (f->resolver, "mail.guess.test", "127.0.0.1");
  suggestions = discover_with_ports (f, "sam@guess.test", TIMEOUT_MS, port, &error);
  g_assert_no_error (error);

  /* The first good answer wins: mail.guess.test would answer too. */
  g_assert_cmpuint (suggestions->len, ==, 1);
  assert_suggestion (get (suggestions, 0), "smtp.guess.test", port, MD_SECURITY_STARTTLS,
                     MD_DISCOVER_SOURCE_GUESS);
  g_assert_true (get (suggestions, 0)->answered);
  g_assert_false (get (suggestions, 0)->needs_confirmation);

  md_test_peer_wait_done (peer, TIMEOUT_MS);
  g_assert_true (md_test_peer_saw (peer, "EHLO ["));
  g_assert_true (md_test_peer_saw (peer, "QUIT"));
}

static void
test_guess_tls (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdTestPki) pki = md_test_pki_new (&error);
  g_autoptr(MdTestPeer) peer = NULL;
  g_autoptr(GPtrArray) suggestions = NULL;
  MdTestScript *script = md_test_script_new ();
  guint port;

  g_assert_no_error (error);
  /* Implicit TLS (RFC 8314): the handshake comes before the greeting. */
  md_test_script_start_tls (script, md_test_pki_get_certificate (pki));
  md_test_script_send (script, "220 mail.guess.test ESMTP\r\n", -1);
  md_test_script_serve (script, "\r\n");
  peer = md_test_peer_new (script);
  port = md_test_peer_get_port (peer);

  /* The certificate names another host: a guess only asks whether a mail
   * server answers, and the diagnosis judges the certificate later. */
  md_test_resolver_add_address (f->resolver, "mail.guess.test", "127.0.0.1");
  suggestions = discover_with_tls_port (f, "sam@guess.test", TIMEOUT_MS, f->closed_port, port,
                                        &error);
  g_assert_no_error (error);

  g_assert_cmpuint (suggestions->len, ==, 1);
  assert_suggestion (get (suggestions, 0), "mail.guess.test", port, MD_SECURITY_TLS,
                     MD_DISCOVER_SOURCE_GUESS);
  g_assert_true (get (suggestions, 0)->answered);

  md_test_peer_wait_done (peer, TIMEOUT_MS);
  g_assert_true (md_test_peer_saw_over_tls (peer, "EHLO ["));
}

static void
test_guess_refused (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(MdTestPeer) peer = smtp_peer_new ("421 4.3.2 Too busy, try later\r\n");
  g_autoptr(GPtrArray) suggestions = NULL;
  g_autoptr(GError) error = NULL;

  /* Only a 2xx greeting and a 250 to EHLO make a guess a suggestion. */
  md_test_resolver_add_address (f->resolver, "smtp.guess.test", "127.0.0.1");
  suggestions = discover_with_ports (f, "sam@guess.test", TIMEOUT_MS,
                                     md_test_peer_get_port (peer), &error);
  g_assert_no_error (error);

  g_assert_cmpuint (suggestions->len, ==, 0);
  g_assert_cmpuint (md_test_peer_get_n_connections (peer), ==, 1);
}

/* Input and time limits */

static void
test_bad_email (Fixture       *f,
                gconstpointer  data)
{
  static const char * const bad[] = { "", "sam", "sam@", "@example.com", "sam example.com" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) suggestions = NULL;
      g_autoptr(GError) error = NULL;

      suggestions = discover_with_ports (f, bad[i], TIMEOUT_MS, f->closed_port, &error);
      g_assert_error (error, MD_ERROR, MD_ERROR_INVALID_INPUT);
      g_assert_null (suggestions);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
hang_domain (Fixture    *f,
             const char *domain)
{
  static const char * const prefixes[] = {
    "", "_submissions._tcp.", "_submission._tcp.", "smtp.", "mail.",
  };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *name = g_strconcat (prefixes[i], domain, NULL);

      md_test_resolver_hang (f->resolver, name);
    }
}

static void
test_hung_resolver (Fixture       *f,
                    gconstpointer  data)
{
  const guint timeout_ms = 700;
  g_autoptr(GPtrArray) nothing = NULL;
  g_autoptr(GPtrArray) provider = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  hang_domain (f, "hang.test");
  started = g_get_monotonic_time ();
  nothing = discover_with_ports (f, "sam@hang.test", timeout_ms, f->closed_port, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nothing->len, ==, 0);
  g_assert_cmpint ((g_get_monotonic_time () - started) / 1000, <, timeout_ms + 300);

  /* What the provider table knows survives a resolver that never answers. */
  hang_domain (f, "gmail.com");
  started = g_get_monotonic_time ();
  provider = discover_with_ports (f, "sam@gmail.com", timeout_ms, f->closed_port, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (provider->len, ==, 2);
  g_assert_cmpint (get (provider, 0)->source, ==, MD_DISCOVER_SOURCE_PROVIDER);
  g_assert_cmpint ((g_get_monotonic_time () - started) / 1000, <, timeout_ms + 300);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) suggestions = NULL;
  g_autoptr(GError) error = NULL;

  hang_domain (f, "hang.test");
  md_discover_async (f->kb, "sam@hang.test", TIMEOUT_MS, cancellable,
                     md_test_store_result, &result);
  g_cancellable_cancel (cancellable);
  md_test_wait_result (&result, SLACK_MS);

  suggestions = md_discover_finish (result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (suggestions);
}

/* Ranking */

static void
test_rank_dedup (Fixture       *f,
                 gconstpointer  data)
{
  const MdProvider *gmail = md_kb_find_provider_by_domain (f->kb, "gmail.com");
  g_autoptr(GPtrArray) suggestions = NULL;
  g_autofree char *exchange = NULL;

  g_assert_nonnull (gmail);
  g_assert_nonnull (gmail->mx_suffixes);
  g_assert_nonnull (gmail->mx_suffixes[0]);
  exchange = g_strconcat ("gmail-smtp-in.l.", gmail->mx_suffixes[0], NULL);

  /* Weaker sources repeat the provider's servers and add their own. */
  md_test_resolver_add_srv (f->resolver, "_submissions._tcp.gmail.com", 0, 1, 465,
                            "smtp.gmail.com");
  md_test_resolver_add_srv (f->resolver, "_submissions._tcp.gmail.com", 5, 1, 465,
                            "a.gmail.com");
  md_test_resolver_add_srv (f->resolver, "_submission._tcp.gmail.com", 0, 1, 587,
                            "b.gmail.com");
  md_test_resolver_add_srv (f->resolver, "_submission._tcp.gmail.com", 5, 1, 587,
                            "SMTP.gmail.com");
  md_test_resolver_add_mx (f->resolver, "gmail.com", 5, exchange);
  suggestions = discover (f, "sam@gmail.com");

  g_assert_cmpuint (suggestions->len, ==, 4);
  assert_suggestion (get (suggestions, 0), "smtp.gmail.com", 587, MD_SECURITY_STARTTLS,
                     MD_DISCOVER_SOURCE_PROVIDER);
  assert_suggestion (get (suggestions, 1), "smtp.gmail.com", 465, MD_SECURITY_TLS,
                     MD_DISCOVER_SOURCE_PROVIDER);
  assert_suggestion (get (suggestions, 2), "a.gmail.com", 465, MD_SECURITY_TLS,
                     MD_DISCOVER_SOURCE_SUBMISSIONS);
  assert_suggestion (get (suggestions, 3), "b.gmail.com", 587, MD_SECURITY_STARTTLS,
                     MD_DISCOVER_SOURCE_SUBMISSION);

  /* The merged duplicates keep the provider's notes once. */
  g_assert_cmpstr (get (suggestions, 0)->notes, ==, gmail->notes);
  g_assert_cmpstr (get (suggestions, 1)->notes, ==, gmail->notes);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/md/core/discover/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("provider", test_provider);
  ADD ("srv-inside", test_srv_inside);
  ADD ("srv-outside", test_srv_outside);
  ADD ("srv-no-service", test_srv_no_service);
  ADD ("mx", test_mx);
  ADD ("guess", test_guess);
  ADD ("guess-tls", test_guess_tls);
  ADD ("guess-refused", test_guess_refused);
  ADD ("bad-email", test_bad_email);
  ADD ("hung-resolver", test_hung_resolver);
  ADD ("cancel", test_cancel);
  ADD ("rank-dedup", test_rank_dedup);

#undef ADD

  return g_test_run ();
}
