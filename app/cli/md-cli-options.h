/* md-cli-options.h: the options check and watch share, and what they build
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-check.h"
#include "md-diagnosis.h"

G_BEGIN_DECLS

typedef struct
{
  char     *email;
  char     *host;
  char     *port;
  char     *security;
  char     *user;
  char     *password_file;
  gboolean  password_stdin;
  char     *client_ip;
  char     *error_text;
  char     *message_size;
  char     *ca_file;
  char     *skip;
  int       timeout;
  gboolean  allow_plaintext_auth;
  char     *format;
  char     *output;
} MdCliCheckOptions;

void          md_cli_check_options_clear          (MdCliCheckOptions   *o);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MdCliCheckOptions, md_cli_check_options_clear)

gboolean      md_cli_check_options_parse          (MdCliCheckOptions   *o,
                                                   const char          *summary,
                                                   const GOptionEntry  *extra_entries,
                                                   int                 *argc,
                                                   char              ***argv,
                                                   GError             **error);
GCancellable *md_cli_interrupt_cancellable_new    (void);
MdDiagnosis  *md_cli_run_diagnosis                (MdCliCheckOptions   *o,
                                                   GCancellable        *cancellable,
                                                   gboolean             unicode,
                                                   int                 *status);
int           md_cli_exit_status                  (MdDiagnosis         *diagnosis);

void          md_cli_print_check                  (MdCheck             *check,
                                                   gboolean             unicode);
gboolean      md_cli_write_report                 (MdDiagnosis         *diagnosis,
                                                   MdCliCheckOptions   *o,
                                                   gboolean             unicode);

G_END_DECLS
