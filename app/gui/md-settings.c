/* md-settings.c: the wizard's remembered settings
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One property per key, each bound to its key (the KGX pattern), so widgets
 * and tests work with an object of our own and never with GSettings. There
 * is no key for the password: it goes to the keyring or nowhere.
 */

#include "md-config.h"

#include "md-compat.h"
#include "md-enums.h"
#include "md-settings.h"

struct _MdSettings
{
  GObject     parent_instance;

  GSettings  *settings;
  char       *email;
  char       *host;
  guint       port;
  MdSecurity  security;
  char       *username;
  gboolean    remember_password;
  /* An id of md-fix's mail programs, or '' for the general steps. */
  char       *mail_program;
};

G_DEFINE_FINAL_TYPE (MdSettings, md_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_EMAIL,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_USERNAME,
  PROP_REMEMBER_PASSWORD,
  PROP_MAIL_PROGRAM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
md_settings_dispose (GObject *object)
{
  MdSettings *self = (MdSettings *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (md_settings_parent_class)->dispose (object);
}

static void
md_settings_finalize (GObject *object)
{
  MdSettings *self = (MdSettings *)object;

  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->mail_program, g_free);

  G_OBJECT_CLASS (md_settings_parent_class)->finalize (object);
}

static void
set_string (MdSettings  *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  /* The keys hold '' for "none"; GSettings has no NULL string. */
  if (md_set_str (field, value != NULL ? value : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
md_settings_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MdSettings *self = MD_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_SECURITY:
      g_value_set_enum (value, self->security);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_REMEMBER_PASSWORD:
      g_value_set_boolean (value, self->remember_password);
      break;

    case PROP_MAIL_PROGRAM:
      g_value_set_string (value, self->mail_program);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_settings_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MdSettings *self = MD_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      md_settings_set_email (self, g_value_get_string (value));
      break;

    case PROP_HOST:
      md_settings_set_host (self, g_value_get_string (value));
      break;

    case PROP_PORT:
      md_settings_set_port (self, g_value_get_uint (value));
      break;

    case PROP_SECURITY:
      md_settings_set_security (self, g_value_get_enum (value));
      break;

    case PROP_USERNAME:
      md_settings_set_username (self, g_value_get_string (value));
      break;

    case PROP_REMEMBER_PASSWORD:
      md_settings_set_remember_password (self, g_value_get_boolean (value));
      break;

    case PROP_MAIL_PROGRAM:
      md_settings_set_mail_program (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_settings_constructed (GObject *object)
{
  MdSettings *self = (MdSettings *)object;

  G_OBJECT_CLASS (md_settings_parent_class)->constructed (object);

  /* Each property has its key's name. */
  for (guint i = PROP_EMAIL; i < N_PROPS; i++)
    {
      const char *key = g_param_spec_get_name (properties[i]);

      g_settings_bind (self->settings, key, self, key, G_SETTINGS_BIND_DEFAULT);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                               G_PARAM_STATIC_STRINGS));
}

static void
md_settings_class_init (MdSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = md_settings_dispose;
  object_class->finalize = md_settings_finalize;
  object_class->get_property = md_settings_get_property;
  object_class->set_property = md_settings_set_property;
  object_class->constructed = md_settings_constructed;

  properties[PROP_EMAIL] = string_property ("email");
  properties[PROP_HOST] = string_property ("host");
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, flags);
  properties[PROP_SECURITY] =
    g_param_spec_enum ("security", NULL, NULL,
                       MD_TYPE_SECURITY, MD_SECURITY_AUTO, flags);
  properties[PROP_USERNAME] = string_property ("username");
  properties[PROP_REMEMBER_PASSWORD] =
    g_param_spec_boolean ("remember-password", NULL, NULL, FALSE, flags);
  /* The fix page's choice, which the window binds to the fix page. */
  properties[PROP_MAIL_PROGRAM] = string_property ("mail-program");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
md_settings_init (MdSettings *self)
{
  self->settings = g_settings_new (MD_SETTINGS_SCHEMA_ID);
}

MdSettings *
md_settings_new (void)
{
  return g_object_new (MD_TYPE_SETTINGS, NULL);
}

const char *
md_settings_get_email (MdSettings *self)
{
  g_return_val_if_fail (MD_IS_SETTINGS (self), NULL);

  return self->email;
}

void
md_settings_set_email (MdSettings *self,
                       const char *email)
{
  g_return_if_fail (MD_IS_SETTINGS (self));

  set_string (self, &self->email, email, PROP_EMAIL);
}

const char *
md_settings_get_host (MdSettings *self)
{
  g_return_val_if_fail (MD_IS_SETTINGS (self), NULL);

  return self->host;
}

void
md_settings_set_host (MdSettings *self,
                      const char *host)
{
  g_return_if_fail (MD_IS_SETTINGS (self));

  set_string (self, &self->host, host, PROP_HOST);
}

guint
md_settings_get_port (MdSettings *self)
{
  g_return_val_if_fail (MD_IS_SETTINGS (self), 0);

  return self->port;
}

void
md_settings_set_port (MdSettings *self,
                      guint       port)
{
  g_return_if_fail (MD_IS_SETTINGS (self));
  g_return_if_fail (port <= G_MAXUINT16);

  if (self->port == port)
    return;

  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

MdSecurity
md_settings_get_security (MdSettings *self)
{
  g_return_val_if_fail (MD_IS_SETTINGS (self), MD_SECURITY_AUTO);

  return self->security;
}

void
md_settings_set_security (MdSettings *self,
                          MdSecurity  security)
{
  g_return_if_fail (MD_IS_SETTINGS (self));

  if (self->security == security)
    return;

  self->security = security;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECURITY]);
}

const char *
md_settings_get_username (MdSettings *self)
{
  g_return_val_if_fail (MD_IS_SETTINGS (self), NULL);

  return self->username;
}

void
md_settings_set_username (MdSettings *self,
                          const char *username)
{
  g_return_if_fail (MD_IS_SETTINGS (self));

  set_string (self, &self->username, username, PROP_USERNAME);
}

gboolean
md_settings_get_remember_password (MdSettings *self)
{
  g_return_val_if_fail (MD_IS_SETTINGS (self), FALSE);

  return self->remember_password;
}

void
md_settings_set_remember_password (MdSettings *self,
                                   gboolean    remember)
{
  g_return_if_fail (MD_IS_SETTINGS (self));

  remember = !!remember;
  if (self->remember_password == remember)
    return;

  self->remember_password = remember;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMEMBER_PASSWORD]);
}

const char *
md_settings_get_mail_program (MdSettings *self)
{
  g_return_val_if_fail (MD_IS_SETTINGS (self), NULL);

  return self->mail_program;
}

void
md_settings_set_mail_program (MdSettings *self,
                              const char *program)
{
  g_return_if_fail (MD_IS_SETTINGS (self));

  set_string (self, &self->mail_program, program, PROP_MAIL_PROGRAM);
}

/* The window's size is read once when it opens and written once when it
 * closes, so it needs no properties. */
void
md_settings_get_window_state (MdSettings *self,
                              int        *width,
                              int        *height,
                              gboolean   *maximized)
{
  g_return_if_fail (MD_IS_SETTINGS (self));

  *width = g_settings_get_int (self->settings, "window-width");
  *height = g_settings_get_int (self->settings, "window-height");
  *maximized = g_settings_get_boolean (self->settings, "window-maximized");
}

void
md_settings_set_window_state (MdSettings *self,
                              int         width,
                              int         height,
                              gboolean    maximized)
{
  g_return_if_fail (MD_IS_SETTINGS (self));

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  /* A maximized window's size is the screen's, not the one to restore. */
  if (!maximized)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}
