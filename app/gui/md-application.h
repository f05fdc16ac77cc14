/* md-application.h: the wizard's application, and watch mode
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "md-diagnosis.h"
#include "md-settings.h"

G_BEGIN_DECLS

#define MD_TYPE_APPLICATION (md_application_get_type ())

G_DECLARE_FINAL_TYPE (MdApplication, md_application, MD, APPLICATION, AdwApplication)

MdApplication *md_application_new           (void);
MdSettings    *md_application_get_settings  (MdApplication *self);

/* Watch mode: checks @check of @diagnosis again with back-off until it
 * works, then sends a notification. It belongs to the application so
 * that it goes on with every window closed. */
void           md_application_start_watch   (MdApplication *self,
                                             MdDiagnosis   *diagnosis,
                                             MdCheckId      check);
void           md_application_stop_watch    (MdApplication *self);
gboolean       md_application_get_watching  (MdApplication *self);
/* What is watched, and how the last try went: the account, the last
 * result (NULL before the first), its time and the next try's (NULL when
 * none is planned). "watch-updated" says when they change. */
MdAccount     *md_application_get_watched_account (MdApplication *self);
MdCheck       *md_application_get_watch_last      (MdApplication *self);
GDateTime     *md_application_get_watch_last_time (MdApplication *self);
GDateTime     *md_application_get_watch_next_time (MdApplication *self);
/* The watched run, once it worked (NULL before, and once a new watch
 * starts): what the notification's click shows. */
MdDiagnosis   *md_application_get_watch_worked    (MdApplication *self);

G_END_DECLS
