/* md-settings.h: the wizard's remembered settings
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-types.h"

G_BEGIN_DECLS

/* The schema follows the application ID, so that a .Devel build keeps
 * settings of its own. */
#define MD_SETTINGS_SCHEMA_ID APP_ID

#define MD_TYPE_SETTINGS (md_settings_get_type ())

G_DECLARE_FINAL_TYPE (MdSettings, md_settings, MD, SETTINGS, GObject)

MdSettings *md_settings_new                   (void);

const char *md_settings_get_email             (MdSettings *self);
void        md_settings_set_email             (MdSettings *self,
                                               const char *email);
const char *md_settings_get_host              (MdSettings *self);
void        md_settings_set_host              (MdSettings *self,
                                               const char *host);
guint       md_settings_get_port              (MdSettings *self);
void        md_settings_set_port              (MdSettings *self,
                                               guint       port);
MdSecurity  md_settings_get_security          (MdSettings *self);
void        md_settings_set_security          (MdSettings *self,
                                               MdSecurity  security);
const char *md_settings_get_username          (MdSettings *self);
void        md_settings_set_username          (MdSettings *self,
                                               const char *username);
gboolean    md_settings_get_remember_password (MdSettings *self);
void        md_settings_set_remember_password (MdSettings *self,
                                               gboolean    remember);
/* A mail program's id from the fix page, or "" for the general steps. */
const char *md_settings_get_mail_program      (MdSettings *self);
void        md_settings_set_mail_program      (MdSettings *self,
                                               const char *program);

void        md_settings_get_window_state      (MdSettings *self,
                                               int        *width,
                                               int        *height,
                                               gboolean   *maximized);
void        md_settings_set_window_state      (MdSettings *self,
                                               int         width,
                                               int         height,
                                               gboolean    maximized);

G_END_DECLS
