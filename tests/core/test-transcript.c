/* test-transcript.c
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include "md-transcript.h"

static void
test_sanitize (void)
{
  static const struct { const char *in; gssize len; const char *out; } cases[] = {
    { "220 mx ready", -1, "220 mx ready" },
    { "220 bücher", -1, "220 bücher" },
    { "220 a\tb", -1, "220 a\\x09b" },
    { "220 \x1b[2Jclear", -1, "220 \\x1B[2Jclear" },
    { "220 mx\0evil", 11, "220 mx\\x00evil" },
    { "220 \xff\xfe", -1, "220 \\xFF\\xFE" },
    { "", -1, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = md_transcript_sanitize (cases[i].in, cases[i].len);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_true (g_utf8_validate (out, -1, NULL));
    }
}

static void
test_lines (void)
{
  g_autoptr(MdTranscript) transcript = md_transcript_new ();
  MdDirection direction;
  guint t_ms;

  md_transcript_add_at (transcript, 5, MD_DIRECTION_SERVER, "220 hello");
  md_transcript_add (transcript, MD_DIRECTION_CLIENT, "EHLO [127.0.0.1]");

  g_assert_cmpuint (md_transcript_get_length (transcript), ==, 2);
  g_assert_cmpstr (md_transcript_get_text (transcript, 0, &direction, &t_ms), ==, "220 hello");
  g_assert_cmpint (direction, ==, MD_DIRECTION_SERVER);
  g_assert_cmpuint (t_ms, ==, 5);
  g_assert_cmpstr (md_transcript_get_text (transcript, 1, &direction, NULL), ==,
                   "EHLO [127.0.0.1]");
  g_assert_cmpint (direction, ==, MD_DIRECTION_CLIENT);
}

static void
test_bounded (void)
{
  g_autoptr(MdTranscript) transcript = md_transcript_new ();
  guint n;

  for (guint i = 0; i < 10000; i++)
    md_transcript_add (transcript, MD_DIRECTION_SERVER, "250-x");

  n = md_transcript_get_length (transcript);
  g_assert_cmpuint (n, <, 10000);
  g_assert_cmpstr (md_transcript_get_text (transcript, n - 1, NULL, NULL), ==,
                   "[transcript truncated]");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/md/core/transcript/sanitize", test_sanitize);
  g_test_add_func ("/md/core/transcript/lines", test_lines);
  g_test_add_func ("/md/core/transcript/bounded", test_bounded);

  return g_test_run ();
}
