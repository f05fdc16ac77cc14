/* md-account-page.c: the user's email address and server settings
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The email address comes first because everything else can be found from
 * it: once the user stops typing, discovery suggests the server, port and
 * security, and says where they came from. What the user typed into those
 * fields always wins over a suggestion, and says so; a suggestion belongs
 * to its address's domain, and a new domain clears it at once, so that a
 * check never runs against the last address's server. Each field is
 * checked as it is typed, in the core's plain words, and *Check*
 * (win.check) is enabled only through the "valid" property; beside it the
 * page says what is still missing.
 */

#include "md-config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "md-account-page.h"
#include "md-compat.h"
#include "md-discover.h"
#include "md-password-guard.h"
#include "md-password-store.h"
#include "md-validate.h"

/* Long enough not to look up every letter, short enough to feel instant. */
#define DISCOVER_DELAY_MS   600
/* Discovery asks DNS and probes servers; the form must not wait longer. */
#define DISCOVER_TIMEOUT_MS 10000

struct _MdAccountPage
{
  MdPage                parent_instance;

  MdSettings           *settings;
  MdKb                 *kb;
  GCancellable         *discover_cancellable;
  GCancellable         *keyring_cancellable;
  guint                 discover_source;
  gboolean              valid;
  /* Set while the page itself fills the fields, which is no user edit. */
  gboolean              filling;
  /* What the user typed or chose, which no suggestion replaces. */
  gboolean              host_typed;
  gboolean              port_typed;
  gboolean              security_typed;
  gboolean              username_typed;
  /* The domain the suggested values are for (a lookup's or the last
   * check's), or NULL when none are shown. */
  char                 *suggested_domain;

  GtkButton            *check_button;
  GtkSpinner           *discover_spinner;
  AdwEntryRow          *email_row;
  GtkLabel             *email_message;
  AdwEntryRow          *host_row;
  GtkWidget            *host_typed_label;
  GtkLabel             *missing_label;
  GtkLabel             *notes_label;
  GtkLinkButton        *app_password_button;
  AdwPasswordEntryRow  *password_row;
  MdPasswordGuard      *password;       /* what password_row holds */
  AdwEntryRow          *port_row;
  GtkWidget            *port_typed_label;
  AdwActionRow         *remember_row;
  GtkSwitch            *remember_switch;
  AdwComboRow          *security_row;
  GtkLabel             *security_note;
  AdwPreferencesGroup  *server_group;
  GtkLabel             *server_message;
  AdwEntryRow          *username_row;
  GtkWidget            *username_typed_label;
};

G_DEFINE_FINAL_TYPE (MdAccountPage, md_account_page, MD_TYPE_PAGE)

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The security choice lists MdSecurity in its own order. */
G_STATIC_ASSERT (MD_SECURITY_AUTO == 0 && MD_SECURITY_NONE == 1 &&
                 MD_SECURITY_STARTTLS == 2 && MD_SECURITY_TLS == 3);

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_empty (const char *text)
{
  return text == NULL || text[0] == '\0';
}

/* Validation */

/* Each wrong field at once, one line each: fixing one never reveals
 * another that was wrong all along. */
static void
show_messages (GtkLabel     *label,
               const GError *first,
               const GError *second)
{
  g_autofree char *text = NULL;

  if (first != NULL && second != NULL)
    text = g_strdup_printf ("%s\n%s", first->message, second->message);
  else if (first != NULL || second != NULL)
    text = g_strdup ((first != NULL ? first : second)->message);

  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
  gtk_label_set_text (label, text != NULL ? text : "");
}

static void
mark_row (gpointer row,
          gboolean wrong)
{
  if (wrong)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static gboolean
validate_email (MdAccountPage *self)
{
  const char *email = row_text (self->email_row);
  g_autoptr(GError) error = NULL;

  /* An empty field is not wrong yet: it is only not done. */
  if (!is_empty (email))
    md_validate_email (email, &error);

  show_messages (self->email_message, error, NULL);
  mark_row (self->email_row, error != NULL);
  return error == NULL;
}

static gboolean
validate_server (MdAccountPage *self)
{
  const char *host = row_text (self->host_row);
  const char *port = row_text (self->port_row);
  g_autoptr(GError) host_error = NULL;
  g_autoptr(GError) port_error = NULL;

  if (!is_empty (host))
    md_validate_host (host, &host_error);
  /* An empty port means the usual one for the security setting. */
  if (!is_empty (port))
    md_validate_port_string (port, NULL, &port_error);

  show_messages (self->server_message, host_error, port_error);
  mark_row (self->host_row, host_error != NULL);
  mark_row (self->port_row, port_error != NULL);

  return !is_empty (host) && host_error == NULL && port_error == NULL;
}

/* What Check still needs, beside it, so that a greyed-out button is never
 * a riddle. */
static void
show_missing (MdAccountPage *self,
              gboolean       email_ok,
              gboolean       server_ok)
{
  const char *host = row_text (self->host_row);
  const char *text = NULL;

  /* The server alone can be checked; the address finds the server. */
  if (is_empty (row_text (self->email_row)) && is_empty (host))
    text = _("To check, type your email address, or your outgoing server.");
  else if (!email_ok)
    text = _("To check, correct your email address.");
  else if (is_empty (host))
    text = _("To check, type your outgoing server.");
  else if (!server_ok)
    text = _("To check, correct the server settings.");

  gtk_label_set_text (self->missing_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->missing_label), text != NULL);
}

static void
validate (MdAccountPage *self)
{
  gboolean email_ok = validate_email (self);
  gboolean server_ok = validate_server (self);
  gboolean valid = email_ok && server_ok;

  show_missing (self, email_ok, server_ok);

  if (self->valid == valid)
    return;

  self->valid = valid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

/* Suggestions */

/* The domain of @email, folded, or NULL when it has none yet. */
static char *
dup_domain (const char *email)
{
  const char *at = email != NULL ? strrchr (email, '@') : NULL;

  if (at == NULL || at[1] == '\0')
    return NULL;

  return g_utf8_casefold (at + 1, -1);
}

static void
fill_entry (MdAccountPage *self,
            AdwEntryRow   *row,
            const char    *text)
{
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  self->filling = FALSE;
}

static void
fill_security (MdAccountPage *self,
               MdSecurity     security)
{
  self->filling = TRUE;
  adw_combo_row_set_selected (self->security_row, security);
  self->filling = FALSE;
}

/* "Typed by you" beside each value the user typed: a suggestion will not
 * replace it. */
static void
show_typed (MdAccountPage *self)
{
  gtk_widget_set_visible (self->host_typed_label, self->host_typed);
  gtk_widget_set_visible (self->port_typed_label, self->port_typed);
  gtk_widget_set_visible (self->username_typed_label, self->username_typed);
}

static void
hide_notes (MdAccountPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->notes_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->app_password_button), FALSE);
}

/* Most providers sign in with the whole address, and the check uses it
 * when the username is empty: showing it says so. */
static void
suggest_username (MdAccountPage *self)
{
  const char *email = row_text (self->email_row);

  if (self->username_typed)
    return;

  fill_entry (self, self->username_row,
              !is_empty (email) && md_validate_email (email, NULL) ? email : NULL);
}

/* Everything suggested for the last domain goes: the server of
 * someone@outlook.com is no answer for someone@example.org. */
static void
forget_suggestions (MdAccountPage *self)
{
  if (!self->host_typed)
    fill_entry (self, self->host_row, NULL);
  if (!self->port_typed)
    fill_entry (self, self->port_row, NULL);
  if (!self->security_typed)
    fill_security (self, MD_SECURITY_AUTO);

  g_clear_pointer (&self->suggested_domain, g_free);
  adw_preferences_group_set_description (self->server_group, NULL);
  hide_notes (self);
}

static void
show_notes (MdAccountPage      *self,
            const MdSuggestion *suggestion)
{
  g_autoptr(GString) notes = g_string_new (suggestion->notes);

  /* The provider's own words say what changed; this says what it means
   * for the check, once. */
  if (suggestion->oauth_only)
    g_string_append_printf (notes, "%s%s", notes->len > 0 ? "\n\n" : "",
                            _("Mail Doctor can check that this server answers and that the "
                              "connection is encrypted, but it cannot test signing in: that "
                              "needs the provider’s own sign-in window, which only your mail "
                              "program can open."));
  else if (suggestion->app_password && suggestion->notes == NULL)
    g_string_append (notes, _("This provider needs an app password: a separate password "
                              "you create in your account’s security settings."));

  gtk_label_set_text (self->notes_label, notes->str);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_label), notes->len > 0);

  gtk_widget_set_visible (GTK_WIDGET (self->app_password_button),
                          suggestion->app_password && suggestion->app_password_url != NULL);
  if (suggestion->app_password_url != NULL)
    gtk_link_button_set_uri (self->app_password_button, suggestion->app_password_url);
}

static void
describe_source (MdAccountPage      *self,
                 const MdSuggestion *suggestion)
{
  g_autofree char *text = NULL;

  if (suggestion->needs_confirmation)
    /* Translators: %s says where the settings came from. */
    text = g_strdup_printf (_("%s. This server belongs to another domain: make sure it "
                              "is your provider’s."), suggestion->source_detail);
  else
    text = g_strdup (suggestion->source_detail);

  adw_preferences_group_set_description (self->server_group, text);
}

static void
apply_suggestion (MdAccountPage      *self,
                  const MdSuggestion *suggestion)
{
  if (!self->host_typed)
    fill_entry (self, self->host_row, suggestion->host);

  if (!self->port_typed)
    {
      g_autofree char *port = suggestion->port > 0 ? g_strdup_printf ("%u", suggestion->port)
                                                   : NULL;
      fill_entry (self, self->port_row, port);
    }

  if (!self->security_typed)
    fill_security (self, suggestion->security);

  g_free (self->suggested_domain);
  self->suggested_domain = dup_domain (row_text (self->email_row));
  describe_source (self, suggestion);
  show_notes (self, suggestion);
  validate (self);
}

static void
say_not_found (MdAccountPage *self)
{
  g_autofree char *domain = dup_domain (row_text (self->email_row));
  g_autofree char *text = NULL;

  /* Translators: %s is the part of the address after @, like example.org. */
  text = g_strdup_printf (_("We could not find the settings for %s. Your provider’s help "
                            "pages list them, and so does the account setup of the mail "
                            "program that works for you elsewhere: type the outgoing (SMTP) "
                            "server, its port and its security below."),
                          domain != NULL ? domain : "");
  adw_preferences_group_set_description (self->server_group, text);
}

static void
discover_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(MdAccountPage) self = user_data;
  g_autoptr(GPtrArray) suggestions = NULL;
  g_autoptr(GError) error = NULL;

  suggestions = md_discover_finish (result, &error);

  /* A newer address replaced this one, or the page went away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->discover_cancellable);
  gtk_spinner_stop (self->discover_spinner);

  if (suggestions == NULL || suggestions->len == 0)
    {
      say_not_found (self);
      return;
    }

  apply_suggestion (self, g_ptr_array_index (suggestions, 0));
}

static MdKb *
get_kb (MdAccountPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->kb == NULL)
    self->kb = md_kb_new (&error);

  /* The knowledge base is compiled in; failing to read it is a bug. */
  if (error != NULL)
    g_critical ("Cannot load the knowledge base: %s", error->message);

  return self->kb;
}

static void
discover_now (gpointer user_data)
{
  MdAccountPage *self = user_data;
  const char *email = row_text (self->email_row);
  g_autofree char *domain = dup_domain (email);
  g_autofree char *looking = NULL;
  MdKb *kb = get_kb (self);

  self->discover_source = 0;
  if (kb == NULL)
    return;

  self->discover_cancellable = g_cancellable_new ();
  gtk_spinner_start (self->discover_spinner);
  /* Translators: %s is the part of the address after @, like example.org. */
  looking = g_strdup_printf (_("Looking up the settings for %s…"), domain);
  adw_preferences_group_set_description (self->server_group, looking);

  md_discover_async (kb, email, DISCOVER_TIMEOUT_MS, self->discover_cancellable,
                     discover_cb, g_object_ref (self));
}

static void
stop_discovery (MdAccountPage *self)
{
  g_clear_handle_id (&self->discover_source, g_source_remove);
  g_cancellable_cancel (self->discover_cancellable);
  g_clear_object (&self->discover_cancellable);
  gtk_spinner_stop (self->discover_spinner);
}

static void
schedule_discovery (MdAccountPage *self)
{
  const char *email = row_text (self->email_row);
  g_autofree char *domain = dup_domain (email);

  stop_discovery (self);

  /* What was suggested or said for another domain is not about this one.
   * The same domain (a typo fixed before the @) keeps it. */
  if (g_strcmp0 (domain, self->suggested_domain) != 0)
    forget_suggestions (self);

  if (is_empty (email) || !md_validate_email (email, NULL))
    return;

  if (self->suggested_domain == NULL)
    self->discover_source = g_timeout_add_once (DISCOVER_DELAY_MS, discover_now, self);
}

/* The keyring */

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(MdAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password = md_password_store_lookup_finish (result, &error);

  /* The user may have typed a password meanwhile, which wins. */
  if (password != NULL && is_empty (md_password_guard_get_text (self->password)))
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);

  md_secret_free (password);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Keyring lookup failed: %s", error->message);
}

/* The account typed so far, without its password. */
static MdAccount *
new_account (MdAccountPage *self)
{
  MdAccount *account = md_account_new ();
  guint port = 0;

  md_validate_port_string (row_text (self->port_row), &port, NULL);
  md_account_set_email (account, row_text (self->email_row));
  md_account_set_host (account, row_text (self->host_row));
  md_account_set_port (account, port);
  md_account_set_security (account, adw_combo_row_get_selected (self->security_row));
  if (!is_empty (row_text (self->username_row)))
    md_account_set_username (account, row_text (self->username_row));

  return account;
}

static void
look_up_password (MdAccountPage *self)
{
  g_autoptr(MdAccount) account = new_account (self);
  const char *host = md_account_get_host (account);
  const char *username = md_account_get_effective_username (account);

  if (is_empty (host) || is_empty (username))
    return;

  md_password_store_lookup_async (host, username, self->keyring_cancellable,
                                  lookup_cb, g_object_ref (self));
}

static void
keyring_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MdAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saving = g_async_result_is_tagged (result, md_password_store_save_async);

  if (saving)
    md_password_store_save_finish (result, &error);
  else
    md_password_store_clear_finish (result, &error);

  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_debug ("Keyring update failed: %s", error->message);
  /* Say so where the choice was made, in words, not the keyring's error. */
  adw_action_row_set_subtitle (self->remember_row,
                               saving ? _("Your password could not be kept in the keyring")
                                      : _("Your password could not be removed from the keyring"));
}

static void
forget_password (MdAccountPage *self)
{
  g_autoptr(MdAccount) account = new_account (self);
  const char *host = md_account_get_host (account);
  const char *username = md_account_get_effective_username (account);

  if (is_empty (host) || is_empty (username))
    return;

  md_password_store_clear_async (host, username, self->keyring_cancellable,
                                 keyring_done_cb, g_object_ref (self));
}

/* Signal handlers */

static void
on_email_row_changed_cb (MdAccountPage *self,
                         GtkEditable   *editable)
{
  g_assert (MD_IS_ACCOUNT_PAGE (self));

  if (!self->filling)
    {
      suggest_username (self);
      schedule_discovery (self);
    }

  validate (self);
}

static void
on_server_row_changed_cb (MdAccountPage *self,
                          GtkEditable   *editable)
{
  g_assert (MD_IS_ACCOUNT_PAGE (self));

  validate (self);

  if (self->filling)
    return;

  /* Emptying a field hands it back to discovery. */
  if (editable == GTK_EDITABLE (self->host_row))
    self->host_typed = !is_empty (gtk_editable_get_text (editable));
  else
    self->port_typed = !is_empty (gtk_editable_get_text (editable));

  show_typed (self);
}

static void
on_username_row_changed_cb (MdAccountPage *self,
                            GtkEditable   *editable)
{
  g_assert (MD_IS_ACCOUNT_PAGE (self));

  if (self->filling)
    return;

  /* Emptying it hands it back to the address. */
  self->username_typed = !is_empty (gtk_editable_get_text (editable));
  show_typed (self);
}

/* What the choice means, where it is made: Automatic explained, and a
 * warning where the password would travel readable. */
static void
show_security_note (MdAccountPage *self)
{
  MdSecurity security = adw_combo_row_get_selected (self->security_row);
  const char *text = NULL;

  if (security == MD_SECURITY_AUTO)
    text = _("Automatic: Mail Doctor encrypts the connection the way the server offers: from "
             "the start on port 465, with STARTTLS on the other ports.");
  else if (security == MD_SECURITY_NONE)
    text = _("Not encrypted: your password and your messages would travel readable by anyone "
             "on the way. Choose it only if your provider tells you to.");

  gtk_label_set_text (self->security_note, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->security_note), text != NULL);
  if (security == MD_SECURITY_NONE)
    gtk_widget_add_css_class (GTK_WIDGET (self->security_note), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->security_note), "warning");
}

static void
on_security_row_selected_cb (MdAccountPage *self,
                             GParamSpec    *pspec,
                             AdwComboRow   *row)
{
  g_assert (MD_IS_ACCOUNT_PAGE (self));

  show_security_note (self);

  if (self->filling)
    return;

  self->security_typed = adw_combo_row_get_selected (row) != MD_SECURITY_AUTO;
  /* A new choice brings its usual port, unless the user typed one;
   * Automatic leaves it empty, to be picked with the security. */
  if (!self->port_typed)
    {
      MdSecurity security = adw_combo_row_get_selected (row);
      g_autofree char *port = security == MD_SECURITY_AUTO
                              ? NULL
                              : g_strdup_printf ("%u", md_security_get_usual_port (security));

      fill_entry (self, self->port_row, port);
    }
  validate (self);
}

static void
on_row_entry_activated_cb (MdAccountPage *self,
                           AdwEntryRow   *row)
{
  g_assert (MD_IS_ACCOUNT_PAGE (self));

  /* Enter in any field checks, when the form allows it. */
  if (self->valid)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.check", NULL);
}

static void
on_remember_switch_active_cb (MdAccountPage *self,
                              GParamSpec    *pspec,
                              GtkSwitch     *remember_switch)
{
  gboolean remember = gtk_switch_get_active (remember_switch);

  g_assert (MD_IS_ACCOUNT_PAGE (self));

  if (self->filling || self->settings == NULL)
    return;

  md_settings_set_remember_password (self->settings, remember);
  adw_action_row_set_subtitle (self->remember_row, _("Keep it in your computer’s keyring"));

  /* Turning it off means "do not keep my password": remove it now. */
  if (!remember)
    forget_password (self);
}

/* GObject */

static void
md_account_page_shown (MdPage *page)
{
  MdAccountPage *self = MD_ACCOUNT_PAGE (page);
  GtkWidget *first_empty = NULL;

  /* Start where there is something left to type. */
  if (is_empty (row_text (self->email_row)))
    first_empty = GTK_WIDGET (self->email_row);
  else if (is_empty (row_text (self->host_row)))
    first_empty = GTK_WIDGET (self->host_row);
  else if (is_empty (md_password_guard_get_text (self->password)))
    first_empty = GTK_WIDGET (self->password_row);
  else
    first_empty = GTK_WIDGET (self->check_button);

  gtk_widget_grab_focus (first_empty);
}

static void
md_account_page_dispose (GObject *object)
{
  MdAccountPage *self = (MdAccountPage *)object;

  stop_discovery (self);
  g_clear_pointer (&self->suggested_domain, g_free);
  g_cancellable_cancel (self->keyring_cancellable);
  g_clear_object (&self->keyring_cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->kb);
  g_clear_object (&self->password);

  gtk_widget_dispose_template (GTK_WIDGET (object), MD_TYPE_ACCOUNT_PAGE);

  G_OBJECT_CLASS (md_account_page_parent_class)->dispose (object);
}

static void
md_account_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MdAccountPage *self = MD_ACCOUNT_PAGE (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_account_page_class_init (MdAccountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MdPageClass *page_class = MD_PAGE_CLASS (klass);

  object_class->dispose = md_account_page_dispose;
  object_class->get_property = md_account_page_get_property;
  page_class->shown = md_account_page_shown;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/md-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, discover_spinner);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, email_message);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, host_typed_label);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, missing_label);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, notes_label);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, app_password_button);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, port_typed_label);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, remember_row);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, security_row);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, security_note);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, server_group);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, server_message);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, MdAccountPage, username_typed_label);
  gtk_widget_class_bind_template_callback (widget_class, on_email_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_remember_switch_active_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_security_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_server_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_username_row_changed_cb);
}

/* The first button on show: the row's apply button is hidden. */
static GtkWidget *
find_button (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = NULL;

      if (!gtk_widget_get_visible (child))
        continue;

      found = GTK_IS_BUTTON (child) ? child : find_button (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
md_account_page_init (MdAccountPage *self)
{
  GtkWidget *reveal;

  self->keyring_cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->password = md_password_guard_new (GTK_EDITABLE (self->password_row));
  show_security_note (self);
  show_missing (self, TRUE, TRUE);

  /* libadwaita 1.2 leaves the password's reveal button without a name,
   * and a screen reader would read out "GtkImage". */
  reveal = find_button (GTK_WIDGET (self->password_row));
  if (reveal != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (reveal),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show password"),
                                    -1);
}

static void
load_settings (MdAccountPage *self)
{
  guint port = md_settings_get_port (self->settings);
  g_autofree char *port_text = port > 0 ? g_strdup_printf ("%u", port) : NULL;

  fill_entry (self, self->email_row, md_settings_get_email (self->settings));
  fill_entry (self, self->host_row, md_settings_get_host (self->settings));
  fill_entry (self, self->port_row, port_text);
  fill_entry (self, self->username_row, md_settings_get_username (self->settings));

  self->filling = TRUE;
  adw_combo_row_set_selected (self->security_row, md_settings_get_security (self->settings));
  gtk_switch_set_active (self->remember_switch,
                         md_settings_get_remember_password (self->settings));
  self->filling = FALSE;

  /* The last check's values count as suggestions for its address's
   * domain: another domain replaces them. A username other than the
   * address was the user's own. */
  self->host_typed = self->port_typed = self->security_typed = FALSE;
  self->username_typed = !is_empty (md_settings_get_username (self->settings)) &&
                         g_strcmp0 (md_settings_get_username (self->settings),
                                    md_settings_get_email (self->settings)) != 0;
  if (!self->username_typed)
    suggest_username (self);
  show_typed (self);

  g_clear_pointer (&self->suggested_domain, g_free);
  if (!is_empty (md_settings_get_host (self->settings)))
    {
      self->suggested_domain = dup_domain (md_settings_get_email (self->settings));
      adw_preferences_group_set_description (self->server_group,
                                             _("The settings of your last check"));
    }
}

void
md_account_page_set_settings (MdAccountPage *self,
                              MdSettings    *settings)
{
  g_return_if_fail (MD_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (MD_IS_SETTINGS (settings));

  if (!g_set_object (&self->settings, settings))
    return;

  load_settings (self);
  validate (self);

  /* The keyring is asked only by a user who chose to keep the password. */
  if (md_settings_get_remember_password (settings))
    look_up_password (self);
}

gboolean
md_account_page_get_valid (MdAccountPage *self)
{
  g_return_val_if_fail (MD_IS_ACCOUNT_PAGE (self), FALSE);

  return self->valid;
}

/**
 * md_account_page_dup_account:
 *
 * Returns: (transfer full): a new account from what is typed
 */
MdAccount *
md_account_page_dup_account (MdAccountPage *self)
{
  MdAccount *account;
  const char *password;

  g_return_val_if_fail (MD_IS_ACCOUNT_PAGE (self), NULL);

  account = new_account (self);
  password = md_password_guard_get_text (self->password);
  if (!is_empty (password))
    md_account_set_password (account, password);

  return account;
}

/**
 * md_account_page_remember:
 * @account: the account about to be checked (md_account_page_dup_account())
 *
 * Keeps @account's settings for next time, and its password in the
 * keyring when the user asked for that.
 */
void
md_account_page_remember (MdAccountPage *self,
                          MdAccount     *account)
{
  const char *password;

  g_return_if_fail (MD_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (MD_IS_ACCOUNT (account));

  if (self->settings == NULL)
    return;

  md_settings_set_email (self->settings, md_account_get_email (account));
  md_settings_set_host (self->settings, md_account_get_host (account));
  md_settings_set_port (self->settings, md_account_get_port (account));
  md_settings_set_security (self->settings, md_account_get_security (account));
  md_settings_set_username (self->settings, md_account_get_username (account));

  password = md_account_peek_password (account);
  if (!gtk_switch_get_active (self->remember_switch) || is_empty (password))
    return;

  md_password_store_save_async (md_account_get_host (account),
                                md_account_get_effective_username (account), password,
                                self->keyring_cancellable, keyring_done_cb, g_object_ref (self));
}
