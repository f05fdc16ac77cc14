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

  GListStore   *findings;
  GListStore   *fixes;
  MdVerdict    *verdict;    /* derived when first asked for */
};

char     *_md_report_dup_title             (MdReport            *self);

/* Findings and fixes: md-report-findings.c. */
void      _md_report_write_findings        (MdReport            *self,
                                            JsonBuilder         *builder);
void      _md_report_write_fixes           (MdReport            *self,
                                            JsonBuilder         *builder);
gboolean  _md_report_read_findings         (MdReport            *self,
                                            JsonObject          *root,
                                            GError             **error);
gboolean  _md_report_read_fixes            (MdReport            *self,
                                            JsonObject          *root,
                                            GError             **error);
void      _md_report_append_verdict_text   (MdReport            *self,
                                            GString             *out);
void      _md_report_append_fixes_text     (MdReport            *self,
                                            GString             *out);
void      _md_report_write_verdict         (MdReport            *self,
                                            JsonBuilder         *builder);

/* Shared by the readers and writers. */
void      _md_report_add_string            (JsonBuilder         *builder,
                                            const char          *name,
                                            const char          *value);
gboolean  _md_report_set_damaged           (GError             **error,
                                            const char          *where,
                                            const char          *name,
                                            const char          *problem);
gboolean  _md_report_is_absent             (JsonNode            *node);
gboolean  _md_report_get_string            (JsonObject          *object,
                                            const char          *name,
                                            const char          *where,
                                            const char         **value,
                                            GError             **error);
gboolean  _md_report_get_required_string   (JsonObject          *object,
                                            const char          *name,
                                            const char          *where,
                                            const char         **value,
                                            GError             **error);
gboolean  _md_report_get_container         (JsonObject          *object,
                                            const char          *name,
                                            const char          *where,
                                            JsonNodeType         type,
                                            JsonNode           **value,
                                            GError             **error);
char     *_md_report_clean_text            (const char          *text);

G_END_DECLS
