/* md-fuzz.h: what the libFuzzer targets share
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each target checks invariants itself and calls md_fuzz_fail() when one
 * breaks: abort() is what libFuzzer records as a crash, with the input.
 */

#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

int  LLVMFuzzerInitialize   (int            *argc,
                             char         ***argv);
int  LLVMFuzzerTestOneInput (const uint8_t  *data,
                             size_t          size);

void md_fuzz_init           (void);
G_NORETURN
void md_fuzz_fail           (const char     *format,
                             ...) G_GNUC_PRINTF (1, 2);
void md_fuzz_check_utf8     (const char     *text,
                             const char     *what);
void md_fuzz_check_strv     (const char * const *strv,
                             const char     *what);
char *md_fuzz_dup_string    (const uint8_t  *data,
                             size_t          size);

G_END_DECLS
