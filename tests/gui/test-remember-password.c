/* test-remember-password.c: *Remember password* against a real keyring
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wizard is driven as a user drives it: the switch through its row,
 * *Check* through its button, against the in-process scripted peer (DNS
 * from the fake resolver). What the keyring holds is read directly from
 * gnome-keyring, which run-keyring.sh starts on a private D-Bus session,
 * so the tests see what the user's keyring would hold, not what the page
 * believes it asked for.
 */

#include <string.h>

#include <gtk/gtk.h>

#include "md-account-page.h"
#include "md-password-store.h"
#include "md-test-gui.h"
#include "md-test-keyring.h"
#include "md-test-peer.h"
#include "md-test-resolver.h"
#include "md-test-utils.h"
#include "md-test-widgets.h"
#include "md-window.h"

#define RUN_TIMEOUT_MS     10000
#define KEYRING_TIMEOUT_MS 10000
/* How long a keyring request that should not happen gets to show up:
 * gnome-keyring answers the ones that do in a few milliseconds. */
#define NOTHING_MS         500

#define CANARY   "Canary-Pa55-Remember-QWX"
#define HOST     "127.0.0.1"
#define USERNAME "sam"

typedef struct
{
  MdTestResolver *resolver;
  MdSettings     *settings;
  MdTestPeer     *peer;
  MdWindow       *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  md_test_keyring_clear ();
  md_test_reset_settings ();
  f->resolver = md_test_resolver_new ();
  md_test_resolver_install (f->resolver);
  f->settings = md_settings_new ();
  /* A server that answers 421 at once: the run is short, and no password
   * is ever sent to it. */
  f->peer = md_test_peer_new (md_test_script_new_scenario ("greet421", NULL, NULL));
  /* Our own reference: the window is destroyed in the tear-down. */
  f->window = g_object_ref (g_object_new (MD_TYPE_WINDOW, "settings", f->settings, NULL));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 600, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.start", NULL));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  /* A keyring request in flight holds the page until it is cancelled. */
  md_test_wait_finalized (g_steal_pointer (&f->window), RUN_TIMEOUT_MS);

  g_clear_pointer (&f->peer, md_test_peer_free);
  g_clear_object (&f->settings);
  md_test_resolver_uninstall (f->resolver);
  md_test_wait_finalized (g_steal_pointer (&f->resolver), 5000);
  md_test_keyring_clear ();
}

static void
fill_account (Fixture *f)
{
  g_autofree char *port = g_strdup_printf ("%u", md_test_peer_get_port (f->peer));
  g_autoptr(GPtrArray) combos = md_test_find_all (f->window, ADW_TYPE_COMBO_ROW);

  md_test_type (md_test_find_entry_row (f->window, "Outgoing server"), HOST);
  md_test_type (md_test_find_entry_row (f->window, "Port"), port);
  adw_combo_row_set_selected (combos->pdata[0], MD_SECURITY_NONE);
  md_test_type (md_test_find_entry_row (f->window, "Username"), USERNAME);
  md_test_type (md_test_find_entry_row (f->window, "Password"), CANARY);
}

static AdwActionRow *
remember_row (gpointer root)
{
  g_autoptr(GPtrArray) rows = md_test_find_all (root, ADW_TYPE_ACTION_ROW);

  for (guint i = 0; i < rows->len; i++)
    {
      const char *title = adw_preferences_row_get_title (rows->pdata[i]);

      if (g_strcmp0 (title, "_Remember Password") == 0)
        return rows->pdata[i];
    }

  g_assert_not_reached ();
}

static gboolean
remembering (gpointer root)
{
  GtkWidget *row_switch = adw_action_row_get_activatable_widget (remember_row (root));

  return gtk_switch_get_active (GTK_SWITCH (row_switch));
}

static gboolean
remembering_on (gpointer root)
{
  return remembering (root);
}

static gboolean
remembering_off (gpointer root)
{
  return !remembering (root);
}

/* As a click on the row does: the row hands it to its switch, which
 * slides over before it changes. */
static void
set_remember (Fixture  *f,
              gboolean  remember)
{
  if (remembering (f->window) != remember)
    adw_action_row_activate (remember_row (f->window));

  md_test_wait_for (remember ? remembering_on : remembering_off, f->window, 5000);
  g_assert_cmpint (md_settings_get_remember_password (f->settings), ==, remember);
}

static gboolean
page_is_results (gpointer data)
{
  return g_strcmp0 (md_window_get_page (data), "results") == 0;
}

static void
press_check (Fixture *f)
{
  GtkWidget *button = md_test_find_button (f->window, "Check");

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  md_test_wait_for (page_is_results, f->window, RUN_TIMEOUT_MS);
}

static gboolean
keyring_holds_one (gpointer data)
{
  return md_test_keyring_count () == 1;
}

static gboolean
keyring_empty (gpointer data)
{
  return md_test_keyring_count () == 0;
}

static void
test_off_stores_nothing (Fixture       *f,
                         gconstpointer  data)
{
  fill_account (f);
  g_assert_false (remembering (f->window));

  press_check (f);
  md_test_spin (NOTHING_MS);

  g_assert_cmpuint (md_test_keyring_count (), ==, 0);
  g_assert_false (md_settings_get_remember_password (f->settings));
}

static void
assert_one_item (const char *password)
{
  GList *items = md_test_keyring_list ();
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *username = NULL;
  g_autofree char *label = NULL;

  g_assert_cmpuint (g_list_length (items), ==, 1);
  host = md_test_keyring_dup_attribute (items->data, "host");
  username = md_test_keyring_dup_attribute (items->data, "username");
  label = secret_retrievable_get_label (items->data);
  value = secret_retrievable_retrieve_secret_sync (items->data, NULL, &error);
  g_list_free_full (items, g_object_unref);

  g_assert_no_error (error);
  g_assert_cmpstr (host, ==, HOST);
  g_assert_cmpstr (username, ==, USERNAME);
  g_assert_cmpstr (secret_value_get_text (value), ==, password);
  g_assert_null (strstr (label, password));
}

static void
remember_and_check (Fixture *f)
{
  fill_account (f);
  set_remember (f, TRUE);

  /* Switching it on keeps nothing yet: only Check does, with the
   * password that was checked. */
  md_test_spin (NOTHING_MS);
  g_assert_cmpuint (md_test_keyring_count (), ==, 0);

  press_check (f);
  md_test_wait_for (keyring_holds_one, NULL, KEYRING_TIMEOUT_MS);
}

static void
test_on_stores_one (Fixture       *f,
                    gconstpointer  data)
{
  remember_and_check (f);
  assert_one_item (CANARY);
}

static void
test_off_again_removes (Fixture       *f,
                        gconstpointer  data)
{
  remember_and_check (f);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL));
  g_assert_cmpstr (md_window_get_page (f->window), ==, "account");
  set_remember (f, FALSE);

  md_test_wait_for (keyring_empty, NULL, KEYRING_TIMEOUT_MS);
}

typedef struct
{
  MdAccountPage *page;
  const char    *password;
} PasswordWait;

/* The page's password, as a check would take it: the entry itself shows
 * placeholders (MdPasswordGuard). */
static gboolean
page_has_password (gpointer data)
{
  PasswordWait *wait = data;
  g_autoptr(MdAccount) account = md_account_page_dup_account (wait->page);

  return g_strcmp0 (md_account_peek_password (account), wait->password) == 0;
}

/* A new page, as on the next start of the app, with the settings that
 * the last check left. */
static MdAccountPage *
new_page (GtkWidget **window)
{
  MdAccountPage *page = g_object_new (MD_TYPE_ACCOUNT_PAGE, NULL);
  g_autoptr(MdSettings) settings = md_settings_new ();

  *window = md_test_present (page);
  md_account_page_set_settings (page, settings);
  return page;
}

static void
test_restored_on_new_page (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *window = NULL;
  MdAccountPage *page = NULL;
  PasswordWait wait = { NULL, CANARY };

  remember_and_check (f);

  page = new_page (&window);
  wait.page = page;
  md_test_wait_for (page_has_password, &wait, KEYRING_TIMEOUT_MS);
  g_assert_null (strstr (gtk_editable_get_text (GTK_EDITABLE (md_test_find_entry_row (page,
                                                                                      "Password"))),
                         CANARY));
  g_assert_true (remembering (page));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (md_test_find_entry_row (page, "Username"))),
                   ==, USERNAME);

  md_test_close_window (window, page);
}

static void
store_canary (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  md_password_store_save_async (HOST, USERNAME, CANARY, NULL, md_test_store_result, &result);
  md_test_wait_result (&result, KEYRING_TIMEOUT_MS);
  g_assert_true (md_password_store_save_finish (result, &error));
  g_assert_no_error (error);
}

static void
test_off_never_fills (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *window = NULL;
  MdAccountPage *page = NULL;

  /* The keyring holds a password but *Remember password* is off (the
   * settings were reset, say): the page must not even ask for it. */
  store_canary ();
  md_settings_set_host (f->settings, HOST);
  md_settings_set_username (f->settings, USERNAME);
  g_assert_false (md_settings_get_remember_password (f->settings));

  page = new_page (&window);
  md_test_spin (NOTHING_MS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (md_test_find_entry_row (page, "Password"))),
                   ==, "");
  g_assert_false (remembering (page));

  md_test_close_window (window, page);
}

int
main (int   argc,
      char *argv[])
{
  if (!md_test_keyring_available ())
    return 0;
  if (!md_test_gui_init (&argc, &argv))
    return 0;

#define ADD(path, func) \
  g_test_add ("/md/gui/remember-password/" path, Fixture, NULL, \
              fixture_set_up, func, fixture_tear_down)

  ADD ("off-stores-nothing", test_off_stores_nothing);
  ADD ("on-stores-one", test_on_stores_one);
  ADD ("off-again-removes", test_off_again_removes);
  ADD ("restored-on-new-page", test_restored_on_new_page);
  ADD ("off-never-fills", test_off_never_fills);

#undef ADD

  return g_test_run ();
}
