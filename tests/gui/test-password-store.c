/* test-password-store.c: the password in a real keyring
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against gnome-keyring on a private D-Bus session that run-keyring.sh
 * starts, because what matters is what a real secret service does with
 * what we hand it: a mock would only agree with us. Each test starts with
 * no item of the app's schema in the keyring.
 */

#include <locale.h>
#include <string.h>

#include "md-compat.h"
#include "md-password-store.h"
#include "md-test-keyring.h"
#include "md-test-utils.h"

/* gnome-keyring answers in milliseconds; this is only a bound. */
#define KEYRING_TIMEOUT_MS 10000

#define HOST     "smtp.example.test"
#define USERNAME "sam@example.test"
#define CANARY   "Canary-Pa55-Keyring-QWX"

static void
empty_keyring (gpointer     *fixture,
               gconstpointer data)
{
  md_test_keyring_clear ();
}

static char *
lookup_with (const char    *host,
             const char    *username,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  md_password_store_lookup_async (host, username, cancellable, md_test_store_result, &result);
  md_test_wait_result (&result, KEYRING_TIMEOUT_MS);
  return md_password_store_lookup_finish (result, error);
}

/* The stored password, failing the test on any error. */
static char *
lookup (const char *host,
        const char *username)
{
  g_autoptr(GError) error = NULL;
  char *password = lookup_with (host, username, NULL, &error);

  g_assert_no_error (error);
  return password;
}

static gboolean
save_with (const char    *host,
           const char    *username,
           const char    *password,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  md_password_store_save_async (host, username, password, cancellable,
                                md_test_store_result, &result);
  md_test_wait_result (&result, KEYRING_TIMEOUT_MS);
  return md_password_store_save_finish (result, error);
}

static void
save (const char *host,
      const char *username,
      const char *password)
{
  g_autoptr(GError) error = NULL;

  gboolean ok = save_with (host, username, password, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static gboolean
clear_with (const char    *host,
            const char    *username,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  md_password_store_clear_async (host, username, cancellable, md_test_store_result, &result);
  md_test_wait_result (&result, KEYRING_TIMEOUT_MS);
  return md_password_store_clear_finish (result, error);
}

static void
clear (const char *host,
       const char *username)
{
  g_autoptr(GError) error = NULL;

  gboolean ok = clear_with (host, username, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
assert_stored (const char *host,
               const char *username,
               const char *expected)
{
  char *password = lookup (host, username);

  g_assert_cmpstr (password, ==, expected);
  md_secret_free (password);
}

static void
test_save_lookup_clear (gpointer     *fixture,
                        gconstpointer data)
{
  save (HOST, USERNAME, CANARY);
  assert_stored (HOST, USERNAME, CANARY);

  /* One password per server and username: neither alone finds it. */
  assert_stored ("smtp.other.test", USERNAME, NULL);
  assert_stored (HOST, "kim@example.test", NULL);

  clear (HOST, USERNAME);
  assert_stored (HOST, USERNAME, NULL);
  g_assert_cmpuint (md_test_keyring_count (), ==, 0);

  /* Clearing what is not there is what "forget it" means: no error. */
  clear (HOST, USERNAME);
}

static void
test_accounts_apart (gpointer     *fixture,
                     gconstpointer data)
{
  save (HOST, USERNAME, "first");
  save (HOST, "kim@example.test", "second");
  save ("smtp.other.test", USERNAME, "third");
  g_assert_cmpuint (md_test_keyring_count (), ==, 3);

  /* Forgetting one account leaves the others alone. */
  clear (HOST, USERNAME);
  assert_stored (HOST, USERNAME, NULL);
  assert_stored (HOST, "kim@example.test", "second");
  assert_stored ("smtp.other.test", USERNAME, "third");
}

static void
test_save_replaces (gpointer     *fixture,
                    gconstpointer data)
{
  /* Every Check with *Remember password* on saves again: a changed
   * password replaces the old one instead of piling up beside it. */
  save (HOST, USERNAME, "old password");
  save (HOST, USERNAME, CANARY);

  g_assert_cmpuint (md_test_keyring_count (), ==, 1);
  assert_stored (HOST, USERNAME, CANARY);
}

static void
test_non_ascii (gpointer     *fixture,
                gconstpointer data)
{
  /* Precomposed and combining accents, a symbol outside the BMP, CJK and
   * right-to-left text: every byte must come back as it went in. */
  const char *password = "Pässwörd-e\xcc\x81-€-🔑-日本語-שלום";
  const char *username = "zoë@exämple.test";

  save (HOST, username, password);
  assert_stored (HOST, username, password);
  assert_stored (HOST, "zoe@example.test", NULL);
}

static void
test_label (gpointer     *fixture,
            gconstpointer data)
{
  GList *items = NULL;
  g_autofree char *label = NULL;
  g_autofree char *host = NULL;
  g_autofree char *username = NULL;

  save (HOST, USERNAME, CANARY);

  items = md_test_keyring_list ();
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_retrievable_get_label (items->data);
  host = md_test_keyring_dup_attribute (items->data, "host");
  username = md_test_keyring_dup_attribute (items->data, "username");
  g_list_free_full (items, g_object_unref);

  /* The label is what the Passwords and Keys app lists: it says whose
   * password this is, and anyone can read it, so it never holds it. */
  g_assert_nonnull (strstr (label, HOST));
  g_assert_null (strstr (label, CANARY));
  g_assert_cmpstr (host, ==, HOST);
  g_assert_cmpstr (username, ==, USERNAME);
}

static void
test_cancelled_before (gpointer     *fixture,
                       gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) save_error = NULL;
  g_autoptr(GError) lookup_error = NULL;
  g_autoptr(GError) clear_error = NULL;
  char *found;

  g_cancellable_cancel (cancellable);

  g_assert_false (save_with (HOST, USERNAME, CANARY, cancellable, &save_error));
  g_assert_error (save_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* A save cancelled before it started stores nothing. */
  g_assert_cmpuint (md_test_keyring_count (), ==, 0);

  save (HOST, USERNAME, CANARY);
  found = lookup_with (HOST, USERNAME, cancellable, &lookup_error);
  g_assert_error (lookup_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (found);

  g_assert_false (clear_with (HOST, USERNAME, cancellable, &clear_error));
  g_assert_error (clear_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Nor does a cancelled clear remove anything. */
  assert_stored (HOST, USERNAME, CANARY);
}

static void
test_cancelled_in_flight (gpointer     *fixture,
                          gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *found;

  save (HOST, USERNAME, CANARY);

  /* Cancelled while the keyring is being asked, as when the window
   * closes: the answer that arrives anyway is dropped, and wiped. */
  md_password_store_lookup_async (HOST, USERNAME, cancellable, md_test_store_result, &result);
  g_cancellable_cancel (cancellable);
  md_test_wait_result (&result, KEYRING_TIMEOUT_MS);

  found = md_password_store_lookup_finish (result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (found);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");

  if (!md_test_keyring_available ())
    return 0;

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/md/gui/password-store/" path, gpointer, NULL, empty_keyring, func, empty_keyring)

  ADD ("save-lookup-clear", test_save_lookup_clear);
  ADD ("accounts-apart", test_accounts_apart);
  ADD ("save-replaces", test_save_replaces);
  ADD ("non-ascii", test_non_ascii);
  ADD ("label", test_label);
  ADD ("cancelled-before", test_cancelled_before);
  ADD ("cancelled-in-flight", test_cancelled_in_flight);

#undef ADD

  return g_test_run ();
}
