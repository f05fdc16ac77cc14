/* md-cli.h: the subcommands of mail-doctor-cli
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "md-report.h"

G_BEGIN_DECLS

#define MD_CLI_MAX_TIMEOUT_SECONDS 600

/* Exit statuses of the CLI contract. */
typedef enum
{
  MD_EXIT_OK       = 0, /* nothing wrong found */
  MD_EXIT_PROBLEMS = 1, /* problems found */
  MD_EXIT_USAGE    = 2, /* bad usage or input */
  MD_EXIT_INTERNAL = 3, /* internal error */
} MdExit;

int  md_cli_check        (int          argc,
                          char       **argv);
int  md_cli_discover     (int          argc,
                          char       **argv);
int  md_cli_explain      (int          argc,
                          char       **argv);
int  md_cli_report       (int          argc,
                          char       **argv);
int  md_cli_watch        (int          argc,
                          char       **argv);
void md_cli_print_error  (const char  *format,
                          ...) G_GNUC_PRINTF (1, 2);
/* Whether @text holds nothing but white space: a value given empty on
 * purpose is a mistake, not "no value". */
gboolean md_cli_is_blank (const char  *text);
gboolean md_cli_write_output (const char  *path,
                              const char  *text);
gboolean md_cli_check_format (const char         *format,
                              const char * const *allowed,
                              GError            **error);
gboolean md_cli_check_format_and_timeout (const char  *format,
                                          int          timeout,
                                          GError     **error);
char    *md_cli_format_report (MdReport    *report,
                               const char  *format,
                               gboolean     unicode);

G_END_DECLS
