/* test-account-page.c: the account form, its validation and its memory
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DNS comes from the fake resolver, so discovery finds only what the
 * bundled provider table knows and no test needs the network.
 */

#include "md-config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "md-account-page.h"
#include "md-kb.h"
#include "md-test-gui.h"
#include "md-test-resolver.h"
#include "md-test-utils.h"
#include "md-test-widgets.h"

#define CANARY "Canary-Pa55-GUI-QWX"

/* Discovery waits 600 ms for typing to stop, then asks. */
#define DISCOVERY_WAIT_MS 8000

typedef struct
{
  MdTestResolver *resolver;
  MdSettings     *settings;
  MdAccountPage  *page;
  GtkWidget      *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  md_test_reset_settings ();
  f->resolver = md_test_resolver_new ();
  md_test_resolver_install (f->resolver);
  f->settings = md_settings_new ();
}

static void
show_page (Fixture *f)
{
  f->page = g_object_new (MD_TYPE_ACCOUNT_PAGE, NULL);
  f->window = md_test_present (f->page);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 600, 900);
  md_account_page_set_settings (f->page, f->settings);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    md_test_close_window (f->window, f->page);
  g_clear_object (&f->settings);
  md_test_resolver_uninstall (f->resolver);
  md_test_wait_finalized (g_steal_pointer (&f->resolver), 5000);
}

static AdwEntryRow *
row (Fixture    *f,
     const char *title)
{
  return md_test_find_entry_row (f->page, title);
}

#define EMAIL    "Email address"
#define HOST     "Outgoing server"
#define PORT     "Port"
#define USERNAME "Username"
#define PASSWORD "Password"

static const char *
text_of (Fixture    *f,
         const char *title)
{
  return gtk_editable_get_text (GTK_EDITABLE (row (f, title)));
}

static void
test_valid_enables_check (Fixture       *f,
                          gconstpointer  data)
{
  show_page (f);
  g_assert_false (md_account_page_get_valid (f->page));

  md_test_type (row (f, EMAIL), "sam@example.test");
  g_assert_false (md_account_page_get_valid (f->page));

  md_test_type (row (f, HOST), "smtp.example.test");
  g_assert_true (md_account_page_get_valid (f->page));

  /* An empty port means the usual one; a bad one blocks Check. */
  md_test_type (row (f, PORT), "587");
  g_assert_true (md_account_page_get_valid (f->page));
  md_test_type (row (f, PORT), "99999");
  g_assert_false (md_account_page_get_valid (f->page));
  md_test_type (row (f, PORT), "");
  g_assert_true (md_account_page_get_valid (f->page));

  md_test_type (row (f, EMAIL), "sam@");
  g_assert_false (md_account_page_get_valid (f->page));
}

static void
test_plain_words (Fixture       *f,
                  gconstpointer  data)
{
  show_page (f);

  md_test_type (row (f, HOST), "smtp example.com");
  g_assert_false (md_account_page_get_valid (f->page));
  g_assert_true (md_test_label_shown (f->window, "The server name can’t contain spaces"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row (f, HOST)), "error"));

  md_test_type (row (f, HOST), "smtp.example.com");
  g_assert_null (md_test_find_label (f->window, "The server name can’t contain spaces"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row (f, HOST)), "error"));

  md_test_type (row (f, PORT), "58 7");
  g_assert_true (md_test_label_shown (f->window, "The port can’t contain spaces"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row (f, PORT)), "error"));

  md_test_save_screenshot (f->window, "account-invalid");
}

static void
test_settings_restored (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(MdAccount) account = NULL;

  md_settings_set_email (f->settings, "sam@example.test");
  md_settings_set_host (f->settings, "smtp.example.test");
  md_settings_set_port (f->settings, 465);
  md_settings_set_security (f->settings, MD_SECURITY_TLS);
  md_settings_set_username (f->settings, "sam");

  show_page (f);

  g_assert_cmpstr (text_of (f, EMAIL), ==, "sam@example.test");
  g_assert_cmpstr (text_of (f, HOST), ==, "smtp.example.test");
  g_assert_cmpstr (text_of (f, PORT), ==, "465");
  g_assert_cmpstr (text_of (f, USERNAME), ==, "sam");
  g_assert_cmpstr (text_of (f, PASSWORD), ==, "");
  g_assert_true (md_account_page_get_valid (f->page));

  account = md_account_page_dup_account (f->page);
  g_assert_cmpuint (md_account_get_port (account), ==, 465);
  g_assert_cmpint (md_account_get_security (account), ==, MD_SECURITY_TLS);
  g_assert_false (md_account_has_password (account));
}

static gboolean
settings_hold (const char *needle)
{
  g_autoptr(GSettings) settings = g_settings_new (MD_SETTINGS_SCHEMA_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      if (strstr (printed, needle) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
test_password_never_stored (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(MdAccount) account = NULL;
  g_autoptr(MdSettings) fresh = NULL;

  show_page (f);
  md_test_type (row (f, EMAIL), "sam@example.test");
  md_test_type (row (f, HOST), "smtp.example.test");
  md_test_type (row (f, USERNAME), "sam");
  gtk_editable_set_text (GTK_EDITABLE (row (f, PASSWORD)), CANARY);

  account = md_account_page_dup_account (f->page);
  g_assert_cmpstr (md_account_peek_password (account), ==, CANARY);

  /* Remembering keeps the settings and never the password. */
  md_account_page_remember (f->page, account);
  g_assert_false (settings_hold (CANARY));
  g_assert_true (settings_hold ("smtp.example.test"));
  g_assert_false (md_settings_get_remember_password (f->settings));

  fresh = md_settings_new ();
  g_assert_cmpstr (md_settings_get_host (fresh), ==, "smtp.example.test");
  g_assert_cmpstr (md_settings_get_username (fresh), ==, "sam");
}

typedef struct
{
  Fixture    *f;
  const char *title;
  const char *text;
} RowWait;

static gboolean
row_has_text (gpointer data)
{
  RowWait *wait = data;

  return g_strcmp0 (text_of (wait->f, wait->title), wait->text) == 0;
}

static void
test_discovery_fills (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(MdKb) kb = md_kb_new (NULL);
  const MdProvider *provider = md_kb_find_provider_by_domain (kb, "gmail.com");
  g_autofree char *port = g_strdup_printf ("%u", provider->port);
  RowWait host_wait = { f, HOST, provider->host };

  show_page (f);
  md_test_type (row (f, EMAIL), "sam@gmail.com");

  md_test_wait_for (row_has_text, &host_wait, DISCOVERY_WAIT_MS);
  g_assert_cmpstr (text_of (f, PORT), ==, port);
  g_assert_true (md_account_page_get_valid (f->page));
  if (provider->notes != NULL)
    g_assert_true (md_test_label_shown (f->window, provider->notes));

  md_test_save_screenshot (f->window, "account-discovered");
}

static void
test_user_edit_wins (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(MdKb) kb = md_kb_new (NULL);
  const MdProvider *provider = md_kb_find_provider_by_domain (kb, "gmail.com");
  g_autofree char *port = g_strdup_printf ("%u", provider->port);
  RowWait port_wait = { f, PORT, port };

  show_page (f);
  md_test_type (row (f, HOST), "mail.mine.test");
  md_test_type (row (f, EMAIL), "sam@gmail.com");

  /* The port was not typed, so the suggestion fills it; the server was. */
  md_test_wait_for (row_has_text, &port_wait, DISCOVERY_WAIT_MS);
  g_assert_cmpstr (text_of (f, HOST), ==, "mail.mine.test");
}

static AdwComboRow *
security_row (Fixture *f)
{
  g_autoptr(GPtrArray) combos = md_test_find_all (f->page, ADW_TYPE_COMBO_ROW);

  g_assert_cmpuint (combos->len, ==, 1);
  return combos->pdata[0];
}

/* The "Typed by you" mark on the row titled @title. */
static gboolean
marked_typed (Fixture    *f,
              const char *title)
{
  GtkWidget *label = md_test_find_label (row (f, title), "Typed by you");

  return label != NULL && md_test_is_shown (label, f->window);
}

/* Whether a label on show starts with @text (a note may add to it). */
static gboolean
text_shown (Fixture    *f,
            const char *text)
{
  g_autoptr(GPtrArray) labels = md_test_find_all (f->window, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_str_has_prefix (gtk_label_get_text (labels->pdata[i]), text) &&
        md_test_is_shown (labels->pdata[i], f->window))
      return TRUE;

  return FALSE;
}

static const char *
server_description (Fixture *f)
{
  g_autoptr(GPtrArray) groups = md_test_find_all (f->page, ADW_TYPE_PREFERENCES_GROUP);

  for (guint i = 0; i < groups->len; i++)
    if (g_strcmp0 (adw_preferences_group_get_title (groups->pdata[i]), "Outgoing Server") == 0)
      return adw_preferences_group_get_description (groups->pdata[i]);

  g_assert_not_reached ();
}

typedef struct
{
  Fixture    *f;
  const char *prefix;
} DescriptionWait;

static gboolean
description_starts (gpointer data)
{
  DescriptionWait *wait = data;
  const char *text = server_description (wait->f);

  return text != NULL && g_str_has_prefix (text, wait->prefix);
}

/* Typing a new address drops at once every value suggested for the old
 * one: the check can never run against the last address's server. */
static void
test_new_address_replaces (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(MdKb) kb = md_kb_new (NULL);
  const MdProvider *outlook = md_kb_find_provider_by_domain (kb, "outlook.com");
  RowWait host_wait = { f, HOST, outlook->host };
  DescriptionWait looking = { f, "Looking up the settings for made-up-domain.test" };
  DescriptionWait not_found = { f, "We could not find the settings for made-up-domain.test" };

  show_page (f);
  md_test_type (row (f, EMAIL), "someone@outlook.com");
  md_test_wait_for (row_has_text, &host_wait, DISCOVERY_WAIT_MS);
  g_assert_cmpint (adw_combo_row_get_selected (security_row (f)), ==, MD_SECURITY_STARTTLS);

  md_test_type (row (f, EMAIL), "someone@made-up-domain.test");
  g_assert_cmpstr (text_of (f, HOST), ==, "");
  g_assert_cmpstr (text_of (f, PORT), ==, "");
  g_assert_cmpint (adw_combo_row_get_selected (security_row (f)), ==, MD_SECURITY_AUTO);
  g_assert_false (text_shown (f, outlook->notes));
  g_assert_false (md_account_page_get_valid (f->page));

  md_test_wait_for (description_starts, &looking, DISCOVERY_WAIT_MS);
  md_test_wait_for (description_starts, &not_found, DISCOVERY_WAIT_MS);
  g_assert_cmpstr (text_of (f, HOST), ==, "");
  g_assert_true (md_test_label_shown (f->window, "To check, type your outgoing server."));
  md_test_save_screenshot (f->window, "account-not-found");
}

/* What the user typed stays through a new address, and says it is theirs;
 * the username follows the address until the user types one. */
static void
test_typed_kept (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(MdKb) kb = md_kb_new (NULL);
  const MdProvider *gmail = md_kb_find_provider_by_domain (kb, "gmail.com");
  g_autofree char *port = g_strdup_printf ("%u", gmail->port);
  RowWait port_wait = { f, PORT, port };

  show_page (f);
  md_test_type (row (f, EMAIL), "sam@example.test");
  g_assert_cmpstr (text_of (f, USERNAME), ==, "sam@example.test");
  g_assert_false (marked_typed (f, USERNAME));

  md_test_type (row (f, HOST), "mail.mine.test");
  g_assert_true (marked_typed (f, HOST));
  g_assert_false (marked_typed (f, PORT));

  md_test_type (row (f, EMAIL), "sam@gmail.com");
  g_assert_cmpstr (text_of (f, USERNAME), ==, "sam@gmail.com");
  md_test_wait_for (row_has_text, &port_wait, DISCOVERY_WAIT_MS);
  g_assert_cmpstr (text_of (f, HOST), ==, "mail.mine.test");
  g_assert_true (marked_typed (f, HOST));

  md_test_type (row (f, USERNAME), "sam.login");
  g_assert_true (marked_typed (f, USERNAME));
  md_test_type (row (f, EMAIL), "sam@example.org");
  g_assert_cmpstr (text_of (f, USERNAME), ==, "sam.login");

  /* Emptying a field hands it back to the suggestions. */
  md_test_type (row (f, HOST), "");
  g_assert_false (marked_typed (f, HOST));
  md_test_save_screenshot (f->window, "account-typed");
}

/* The security choices in words, with what each means; a choice brings
 * its usual port unless the user typed one. */
static void
test_security_words (Fixture       *f,
                     gconstpointer  data)
{
  static const char warning[] = "Not encrypted: your password and your messages would travel "
                                "readable by anyone on the way. Choose it only if your provider "
                                "tells you to.";
  AdwComboRow *security;
  GListModel *choices;

  show_page (f);
  security = security_row (f);
  choices = adw_combo_row_get_model (security);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), MD_SECURITY_STARTTLS),
                   ==, "Encrypted (STARTTLS, usually port 587)");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), MD_SECURITY_TLS),
                   ==, "Encrypted from the start (SSL/TLS, usually port 465)");
  g_assert_true (adw_combo_row_get_use_subtitle (security));
  g_assert_true (md_test_label_shown (f->window,
                                      "Automatic: Mail Doctor encrypts the connection the way "
                                      "the server offers: from the start on port 465, with "
                                      "STARTTLS on the other ports."));

  adw_combo_row_set_selected (security, MD_SECURITY_NONE);
  g_assert_true (md_test_label_shown (f->window, warning));
  g_assert_true (gtk_widget_has_css_class (md_test_find_label (f->window, warning), "warning"));
  g_assert_cmpstr (text_of (f, PORT), ==, "587");

  adw_combo_row_set_selected (security, MD_SECURITY_TLS);
  g_assert_false (text_shown (f, warning));
  g_assert_cmpstr (text_of (f, PORT), ==, "465");

  md_test_type (row (f, PORT), "2525");
  adw_combo_row_set_selected (security, MD_SECURITY_STARTTLS);
  g_assert_cmpstr (text_of (f, PORT), ==, "2525");

  adw_combo_row_set_selected (security, MD_SECURITY_NONE);
  md_test_save_screenshot (f->window, "account-not-encrypted");
}

/* Every wrong field says why at once; beside Check, what is missing. */
static void
test_all_at_once (Fixture       *f,
                  gconstpointer  data)
{
  show_page (f);
  g_assert_true (md_test_label_shown (f->window,
                                      "To check, type your email address, or your outgoing "
                                      "server."));

  md_test_type (row (f, EMAIL), "sam@example.test");
  md_test_type (row (f, HOST), "smtp example.com");
  md_test_type (row (f, PORT), "58 7");
  g_assert_true (md_test_label_shown (f->window, "The server name can’t contain spaces\n"
                                                 "The port can’t contain spaces"));
  g_assert_true (md_test_label_shown (f->window, "To check, correct the server settings."));

  md_test_type (row (f, HOST), "smtp.example.com");
  g_assert_true (md_test_label_shown (f->window, "The port can’t contain spaces"));
  md_test_type (row (f, PORT), "587");
  g_assert_true (md_account_page_get_valid (f->page));
  g_assert_null (md_test_find_label (f->window, "To check, correct the server settings."));

  md_test_type (row (f, EMAIL), "sam@");
  g_assert_false (md_account_page_get_valid (f->page));
  g_assert_true (md_test_label_shown (f->window, "To check, correct your email address."));
}

/* A provider's note says each thing once; where it needs an app password,
 * a link to where one is made; where it takes no passwords at all, what
 * Mail Doctor can and cannot test. */
static void
test_provider_notes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(MdKb) kb = md_kb_new (NULL);
  const MdProvider *gmail = md_kb_find_provider_by_domain (kb, "gmail.com");
  const MdProvider *outlook = md_kb_find_provider_by_domain (kb, "outlook.com");
  RowWait gmail_wait = { f, HOST, gmail->host };
  RowWait outlook_wait = { f, HOST, outlook->host };
  GtkWidget *link;

  show_page (f);
  md_test_type (row (f, EMAIL), "sam@gmail.com");
  md_test_wait_for (row_has_text, &gmail_wait, DISCOVERY_WAIT_MS);
  link = md_test_find_button (f->page, "How to make an app password");
  g_assert_true (md_test_is_shown (link, f->window));
  g_assert_cmpstr (gtk_link_button_get_uri (GTK_LINK_BUTTON (link)), ==,
                   gmail->app_password_url);
  md_test_save_screenshot (f->window, "account-app-password");

  md_test_type (row (f, EMAIL), "sam@outlook.com");
  md_test_wait_for (row_has_text, &outlook_wait, DISCOVERY_WAIT_MS);
  g_assert_false (md_test_is_shown (link, f->window));
  {
    g_autofree char *expected = g_strdup_printf ("%s\n\n%s", outlook->notes,
      "Mail Doctor can check that this server answers and that the connection is encrypted, "
      "but it cannot test signing in: that needs the provider’s own sign-in window, which only "
      "your mail program can open.");

    g_assert_true (md_test_label_shown (f->window, expected));
  }
  md_test_save_screenshot (f->window, "account-oauth-only");
}

/* The entries' accessible names are their titles (AdwEntryRow labels
 * itself with it), and the buttons' are their labels; a second explicit
 * name would be read twice. */
static void
test_accessible_names (Fixture       *f,
                       gconstpointer  data)
{
  const char *titles[] = { EMAIL, HOST, PORT, USERNAME, PASSWORD };
  g_autoptr(GPtrArray) combos = NULL;

  show_page (f);

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    g_assert_nonnull (row (f, titles[i]));

  combos = md_test_find_all (f->page, ADW_TYPE_COMBO_ROW);
  g_assert_cmpuint (combos->len, ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (combos->pdata[0]), ==, "Security");
  g_assert_nonnull (md_test_find_button (f->page, "Check"));
}

/* On a phone the form is taller than the window: Check, the page's main
 * action, stays below it in view instead of scrolling away with it. */
static void
test_check_in_view (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *check;
  graphene_rect_t bounds;

  f->page = g_object_new (MD_TYPE_ACCOUNT_PAGE, NULL);
  f->window = md_test_present_sized (f->page, "Your Account", 360, 640);
  md_account_page_set_settings (f->page, f->settings);
  md_test_flush (f->window);

  check = md_test_find_button (f->page, "Check");
  g_assert_nonnull (check);
  g_assert_null (gtk_widget_get_ancestor (check, GTK_TYPE_SCROLLED_WINDOW));
  g_assert_true (gtk_widget_compute_bounds (check, f->window, &bounds));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (f->window));
  g_assert_cmpfloat (bounds.size.height, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  if (!md_test_gui_init (&argc, &argv))
    return 0;

#define ADD(path, func) \
  g_test_add ("/md/gui/account/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("valid-enables-check", test_valid_enables_check);
  ADD ("plain-words", test_plain_words);
  ADD ("settings-restored", test_settings_restored);
  ADD ("password-never-stored", test_password_never_stored);
  ADD ("discovery-fills", test_discovery_fills);
  ADD ("user-edit-wins", test_user_edit_wins);
  ADD ("accessible-names", test_accessible_names);
  ADD ("new-address-replaces", test_new_address_replaces);
  ADD ("typed-kept", test_typed_kept);
  ADD ("security-words", test_security_words);
  ADD ("all-at-once", test_all_at_once);
  ADD ("provider-notes", test_provider_notes);
  ADD ("check-in-view", test_check_in_view);

#undef ADD

  return g_test_run ();
}
