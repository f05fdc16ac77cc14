/* md-report-private.h: what the report's writers share
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "md-report.h"

G_BEGIN_DECLS

struct _MdReport
{
  GObject       parent_instance;

  char         *email;
  char         *host;
  guint         port;
  MdSecurity    security;
  char         *username;

  GListStore   *checks;
  MdTranscript *transcript;

  /* Kept as read, until findings and fixes have types of their own. */
  JsonNode     *findings;
  JsonNode     *fixes;
};

char *_md_report_dup_title    (MdReport *self);
char *_md_report_dup_headline (MdReport *self);

G_END_DECLS
