/* md-fuzz.c: what the libFuzzer targets share
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "md-fuzz.h"

/* A critical or a warning is a broken precondition or a bug the code noticed
 * itself; either way it is a finding, so it aborts. The rest is dropped:
 * printing debug messages for millions of inputs only slows the run. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }

  return G_LOG_WRITER_HANDLED;
}

void
md_fuzz_init (void)
{
  /* GLib 2.74's slice allocator hides use-after-free and leaks from ASan. */
  g_setenv ("G_SLICE", "always-malloc", FALSE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  setlocale (LC_ALL, "C.UTF-8");

  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

void
md_fuzz_fail (const char *format,
              ...)
{
  va_list args;

  va_start (args, format);
  fputs ("md-fuzz: invariant broken: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);

  abort ();
}

void
md_fuzz_check_utf8 (const char *text,
                    const char *what)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    md_fuzz_fail ("%s is not valid UTF-8", what);
}

void
md_fuzz_check_strv (const char * const *strv,
                    const char         *what)
{
  for (gsize i = 0; strv != NULL && strv[i] != NULL; i++)
    md_fuzz_check_utf8 (strv[i], what);
}

/* The input as a C string: the APIs take NUL-terminated text, so an
 * embedded NUL ends it, as it would for any caller. */
char *
md_fuzz_dup_string (const uint8_t *data,
                    size_t         size)
{
  char *text = g_malloc (size + 1);

  if (size > 0)
    memcpy (text, data, size);
  text[size] = '\0';

  return text;
}
