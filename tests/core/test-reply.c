/* test-reply.c: the SMTP reply parser, enhanced codes and EHLO capabilities
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parser is driven by tables of valid and invalid vectors, in the
 * manner of Dovecot's reply-parser tests. Every vector is fed whole, one
 * byte at a time and in seeded random chunks, and all three feeds must
 * agree to the byte: a server decides how its bytes are split, not us.
 */

#include <locale.h>
#include <string.h>

#include "md-enums.h"
#include "md-error.h"
#include "md-smtp-reply.h"

#define IN(s) .input = (s), .input_len = sizeof (s) - 1
#define INCOMPLETE (-1)
#define N_RANDOM_FEEDS 4

typedef struct
{
  const char        *name;
  const char        *input;
  gsize              input_len;
  char            *(*build) (gsize *len);
  guint              code;
  const char        *text;      /* the lines joined with "\n"; NULL for generated input */
  guint              n_lines;
  MdSmtpReplyFlags   flags;
  const char        *enhanced;
  gsize              consumed;  /* 0: all of the input */
} ValidVector;

typedef struct
{
  const char  *name;
  const char  *input;
  gsize        input_len;
  char      *(*build) (gsize *len);
  int          error;           /* an MdError code, or INCOMPLETE */
  gsize        consumed;        /* 0: all of the input */
} InvalidVector;

typedef struct
{
  MdSmtpReply *reply;
  GError      *error;
  gsize        consumed;
  gboolean     idle;
} FeedResult;

typedef enum
{
  FEED_WHOLE,
  FEED_BYTES,
  FEED_RANDOM,
} FeedMode;

/* Generated inputs */

static char *
repeat_lines (const char *prefix,
              guint       n,
              gsize       text_len,
              const char *last)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_string_append (out, prefix);
      for (gsize j = 0; j < text_len; j++)
        g_string_append_c (out, 'a' + (j % 26));
      g_string_append (out, "\r\n");
    }
  g_string_append (out, last);

  return g_string_free (out, FALSE);
}

static char *
line_of (gsize       text_len,
         const char *ending)
{
  g_autofree char *text = g_strnfill (text_len, 'x');

  return g_strconcat ("250 ", text, ending, NULL);
}

static char *
build_line_at_cap (gsize *len)
{
  char *s = line_of (MD_SMTP_MAX_LINE_LENGTH - 4, "\r\n");

  *len = strlen (s);
  return s;
}

static char *
build_line_at_cap_lf (gsize *len)
{
  char *s = line_of (MD_SMTP_MAX_LINE_LENGTH - 4, "\n");

  *len = strlen (s);
  return s;
}

static char *
build_line_over_cap (gsize *len)
{
  char *s = line_of (MD_SMTP_MAX_LINE_LENGTH - 3, "\r\n");

  *len = strlen (s);
  return s;
}

/* The CR at the cap could still start a CRLF; the byte after it cannot. */
static char *
build_line_over_cap_after_cr (gsize *len)
{
  char *s = line_of (MD_SMTP_MAX_LINE_LENGTH - 4, "\rx\r\n");

  *len = strlen (s);
  return s;
}

static char *
build_endless_line (gsize *len)
{
  char *s = line_of (100000, "");

  *len = strlen (s);
  return s;
}

static char *
build_256_lines (gsize *len)
{
  char *s = repeat_lines ("250-", MD_SMTP_MAX_REPLY_LINES - 1, 5, "250 end\r\n");

  *len = strlen (s);
  return s;
}

static char *
build_257_lines (gsize *len)
{
  char *s = repeat_lines ("250-", MD_SMTP_MAX_REPLY_LINES, 5, "250 end\r\n");

  *len = strlen (s);
  return s;
}

/* 16 lines of 4096 bytes with their CRLF: exactly 64 KiB. */
static char *
build_reply_at_cap (gsize *len)
{
  g_autofree char *last = line_of (4090, "\r\n");
  char *s = repeat_lines ("250-", 15, 4090, last);

  *len = strlen (s);
  g_assert_cmpuint (*len, ==, MD_SMTP_MAX_REPLY_LENGTH);
  return s;
}

static char *
build_reply_over_cap (gsize *len)
{
  g_autofree char *last = line_of (4090, "\r\n");
  char *s = repeat_lines ("250-", 16, 4090, last);

  *len = strlen (s);
  return s;
}

/* The tables */

static const ValidVector valid_vectors[] = {
  { "greeting", IN ("220 mx.example.com ESMTP Postfix\r\n"),
    .code = 220, .text = "mx.example.com ESMTP Postfix", .n_lines = 1 },
  { "code-only", IN ("220\r\n"), .code = 220, .text = "", .n_lines = 1 },
  { "empty-text", IN ("250 \r\n"), .code = 250, .text = "", .n_lines = 1 },
  { "multi-line", IN ("250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
                      "250 8BITMIME\r\n"),
    .code = 250, .text = "mx.example.com\nPIPELINING\nSIZE 10240000\n8BITMIME", .n_lines = 4 },
  { "smtp-sink-ehlo", IN ("250-smtp-sink\r\n250-DSN\r\n250 \r\n"),
    .code = 250, .text = "smtp-sink\nDSN\n", .n_lines = 3 },
  { "empty-continuation", IN ("250-\r\n250 end\r\n"),
    .code = 250, .text = "\nend", .n_lines = 2 },
  { "421-multi-line", IN ("421-mx.example.com busy\r\n421 try again later\r\n"),
    .code = 421, .text = "mx.example.com busy\ntry again later", .n_lines = 2 },
  { "enhanced", IN ("250 2.1.0 Ok\r\n"),
    .code = 250, .text = "2.1.0 Ok", .n_lines = 1, .enhanced = "2.1.0" },
  { "enhanced-multi-line", IN ("551-5.7.1 Not allowed\r\n551 5.7.1 Go away\r\n"),
    .code = 551, .text = "5.7.1 Not allowed\n5.7.1 Go away", .n_lines = 2, .enhanced = "5.7.1" },
  { "enhanced-421", IN ("421 4.7.0 mx.example.com Error: too many connections from "
                        "192.0.2.1\r\n"),
    .code = 421, .n_lines = 1, .enhanced = "4.7.0",
    .text = "4.7.0 mx.example.com Error: too many connections from 192.0.2.1" },
  { "enhanced-alone", IN ("221 2.0.0\r\n"),
    .code = 221, .text = "2.0.0", .n_lines = 1, .enhanced = "2.0.0" },
  { "enhanced-wide", IN ("554 5.123.456 no\r\n"),
    .code = 554, .text = "5.123.456 no", .n_lines = 1, .enhanced = "5.123.456" },
  { "enhanced-wrong-class", IN ("250 4.1.0 odd\r\n"),
    .code = 250, .text = "4.1.0 odd", .n_lines = 1 },
  { "enhanced-too-long", IN ("250 2.1234.0 odd\r\n"),
    .code = 250, .text = "2.1234.0 odd", .n_lines = 1 },
  { "no-enhanced-for-3xx", IN ("354 3.0.0 End data with <CR><LF>.<CR><LF>\r\n"),
    .code = 354, .text = "3.0.0 End data with <CR><LF>.<CR><LF>", .n_lines = 1 },
  { "bare-lf", IN ("220 hello\n"),
    .code = 220, .text = "hello", .n_lines = 1, .flags = MD_SMTP_REPLY_BARE_LF },
  { "mixed-endings", IN ("250-a\r\n250 b\n"),
    .code = 250, .text = "a\nb", .n_lines = 2, .flags = MD_SMTP_REPLY_BARE_LF },
  { "nul", IN ("220 a\0b\r\n"),
    .code = 220, .text = "a\\x00b", .n_lines = 1, .flags = MD_SMTP_REPLY_CONTROL_CHARS },
  { "control-char", IN ("250-mx\r\n250 X\x03Y\r\n"),
    .code = 250, .text = "mx\nX\\x03Y", .n_lines = 2, .flags = MD_SMTP_REPLY_CONTROL_CHARS },
  { "bare-cr", IN ("220 a\rb\r\n"),
    .code = 220, .text = "a\\x0Db", .n_lines = 1, .flags = MD_SMTP_REPLY_CONTROL_CHARS },
  { "cr-before-crlf", IN ("220 a\r\r\n"),
    .code = 220, .text = "a\\x0D", .n_lines = 1, .flags = MD_SMTP_REPLY_CONTROL_CHARS },
  { "escape-sequence", IN ("220 \x1b[31mred\r\n"),
    .code = 220, .text = "\\x1B[31mred", .n_lines = 1, .flags = MD_SMTP_REPLY_CONTROL_CHARS },
  { "c1-control", IN ("220 a\xc2\x85" "b\r\n"),
    .code = 220, .text = "a\\x85b", .n_lines = 1, .flags = MD_SMTP_REPLY_CONTROL_CHARS },
  { "tab-is-text", IN ("220 a\tb\r\n"), .code = 220, .text = "a\\x09b", .n_lines = 1 },
  { "not-utf8", IN ("220 caf\xe9\r\n"),
    .code = 220, .text = "caf\\xE9", .n_lines = 1, .flags = MD_SMTP_REPLY_NOT_UTF8 },
  { "utf8", IN ("220 caf\xc3\xa9 \xe2\x98\x95\r\n"),
    .code = 220, .text = "caf\xc3\xa9 \xe2\x98\x95", .n_lines = 1 },
  { "all-flags", IN ("250-\xff\x01\r\n250 x\n"),
    .code = 250, .text = "\\xFF\\x01\nx", .n_lines = 2,
    .flags = MD_SMTP_REPLY_BARE_LF | MD_SMTP_REPLY_CONTROL_CHARS | MD_SMTP_REPLY_NOT_UTF8 },
  { "highest-code", IN ("559 no\r\n"), .code = 559, .text = "no", .n_lines = 1 },
  { "lowest-code", IN ("200 ok\r\n"), .code = 200, .text = "ok", .n_lines = 1 },
  { "pipelined-rest-kept", IN ("250 ok\r\n250 next\r\n"),
    .code = 250, .text = "ok", .n_lines = 1, .consumed = 8 },
  { "injected-rest-kept", IN ("220 2.0.0 Ready to start TLS\r\n250-evil\r\n"),
    .code = 220, .text = "2.0.0 Ready to start TLS", .n_lines = 1, .enhanced = "2.0.0",
    .consumed = 30 },
  { "line-at-cap", .build = build_line_at_cap, .code = 250, .n_lines = 1 },
  { "line-at-cap-bare-lf", .build = build_line_at_cap_lf, .code = 250, .n_lines = 1,
    .flags = MD_SMTP_REPLY_BARE_LF },
  { "256-lines", .build = build_256_lines, .code = 250, .n_lines = 256 },
  { "reply-at-cap", .build = build_reply_at_cap, .code = 250, .n_lines = 16 },
};

static const InvalidVector invalid_vectors[] = {
  { "letter-in-code", IN ("22X ready\r\n"), .error = MD_ERROR_PROTOCOL },
  { "no-separator", IN ("220OK\r\n"), .error = MD_ERROR_PROTOCOL },
  { "four-digits", IN ("2200 ready\r\n"), .error = MD_ERROR_PROTOCOL },
  { "bad-separator", IN ("250_ok\r\n"), .error = MD_ERROR_PROTOCOL },
  { "code-699", IN ("699 no\r\n"), .error = MD_ERROR_PROTOCOL },
  { "code-600", IN ("600\r\n"), .error = MD_ERROR_PROTOCOL },
  { "code-100", IN ("100 continue\r\n"), .error = MD_ERROR_PROTOCOL },
  { "code-199", IN ("199 x\r\n"), .error = MD_ERROR_PROTOCOL },
  { "code-099", IN ("099 x\r\n"), .error = MD_ERROR_PROTOCOL },
  { "code-260", IN ("260 x\r\n"), .error = MD_ERROR_PROTOCOL },
  { "code-590", IN ("590 x\r\n"), .error = MD_ERROR_PROTOCOL },
  { "too-short", IN ("25\r\n"), .error = MD_ERROR_PROTOCOL },
  { "empty-line", IN ("\r\n"), .error = MD_ERROR_PROTOCOL },
  { "lone-lf", IN ("\n"), .error = MD_ERROR_PROTOCOL },
  { "leading-space", IN (" 250 ok\r\n"), .error = MD_ERROR_PROTOCOL },
  { "words", IN ("hello there\r\n"), .error = MD_ERROR_PROTOCOL },
  { "mixed-codes", IN ("200-a\r\n250 b\r\n"), .error = MD_ERROR_MIXED_CODES },
  { "mixed-codes-stop-early", IN ("250-a\r\n220-b\r\n250 c\r\n"),
    .error = MD_ERROR_MIXED_CODES, .consumed = 14 },
  { "mixed-codes-same-class", IN ("421-a\r\n451 b\r\n"), .error = MD_ERROR_MIXED_CODES },
  { "junk-after-first-line", IN ("250-a\r\nPIPELINING\r\n"), .error = MD_ERROR_PROTOCOL },
  { "line-over-cap", .build = build_line_over_cap, .error = MD_ERROR_REPLY_TOO_LARGE,
    .consumed = MD_SMTP_MAX_LINE_LENGTH + 1 },
  { "line-over-cap-after-cr", .build = build_line_over_cap_after_cr,
    .error = MD_ERROR_REPLY_TOO_LARGE, .consumed = MD_SMTP_MAX_LINE_LENGTH + 2 },
  { "endless-line", .build = build_endless_line, .error = MD_ERROR_REPLY_TOO_LARGE,
    .consumed = MD_SMTP_MAX_LINE_LENGTH + 1 },
  { "257-lines", .build = build_257_lines, .error = MD_ERROR_REPLY_TOO_LARGE },
  { "reply-over-64k", .build = build_reply_over_cap, .error = MD_ERROR_REPLY_TOO_LARGE },
  { "missing-final-line", IN ("250-a\r\n250-b\r\n"), .error = INCOMPLETE },
  { "missing-lf", IN ("400 Interrupted\r"), .error = INCOMPLETE },
  { "no-eol", IN ("220 mx.example.com ESMTP"), .error = INCOMPLETE },
};

/* Feeding */

static void
feed_result_clear (FeedResult *result)
{
  g_clear_pointer (&result->reply, md_smtp_reply_free);
  g_clear_error (&result->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FeedResult, feed_result_clear)

static gsize
next_chunk (FeedMode  mode,
            GRand    *rand,
            gsize     left)
{
  switch (mode)
    {
    case FEED_WHOLE:
      return left;

    case FEED_BYTES:
      return 1;

    case FEED_RANDOM:
      /* Mostly small pieces, sometimes large ones. */
      if (g_rand_boolean (rand))
        return MIN (left, (gsize)g_rand_int_range (rand, 1, 16));
      return MIN (left, (gsize)g_rand_int_range (rand, 1, 6000));

    default:
      g_assert_not_reached ();
    }
}

static void
feed (const char *input,
      gsize       len,
      FeedMode    mode,
      guint32     seed,
      FeedResult *result)
{
  g_autoptr(MdSmtpReplyParser) parser = md_smtp_reply_parser_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gsize pos = 0;

  while (pos < len && result->reply == NULL && result->error == NULL)
    {
      gsize chunk = next_chunk (mode, rand, len - pos);
      gsize n = md_smtp_reply_parser_feed (parser, (const guint8 *)input + pos, chunk,
                                           &result->reply, &result->error);

      g_assert_cmpuint (n, <=, chunk);
      /* Without a reply or an error, everything must be taken. */
      if (result->reply == NULL && result->error == NULL)
        g_assert_cmpuint (n, ==, chunk);
      pos += n;
    }

  result->consumed = pos;
  result->idle = md_smtp_reply_parser_is_idle (parser);
}

static void
assert_same_result (const FeedResult *a,
                    const FeedResult *b)
{
  g_assert_cmpuint (a->consumed, ==, b->consumed);
  g_assert_cmpint (a->idle, ==, b->idle);

  g_assert_true ((a->error == NULL) == (b->error == NULL));
  if (a->error != NULL)
    {
      g_assert_error (b->error, a->error->domain, a->error->code);
      g_assert_cmpstr (a->error->message, ==, b->error->message);
    }

  g_assert_true ((a->reply == NULL) == (b->reply == NULL));
  if (a->reply != NULL)
    {
      g_assert_cmpuint (a->reply->code, ==, b->reply->code);
      g_assert_cmpuint (a->reply->flags, ==, b->reply->flags);
      g_assert_cmpstr (a->reply->enhanced, ==, b->reply->enhanced);
      g_assert_cmpstrv (a->reply->lines, b->reply->lines);
    }
}

/* Feeds @input whole, then in other ways that must all agree with it. */
static void
feed_every_way (const char *name,
                const char *input,
                gsize       len,
                FeedResult *whole)
{
  g_auto(FeedResult) bytes = { 0 };
  guint32 seed = g_str_hash (name);

  feed (input, len, FEED_WHOLE, 0, whole);

  feed (input, len, FEED_BYTES, 0, &bytes);
  assert_same_result (whole, &bytes);

  for (guint i = 0; i < N_RANDOM_FEEDS; i++)
    {
      g_auto(FeedResult) random = { 0 };

      feed (input, len, FEED_RANDOM, seed + i, &random);
      assert_same_result (whole, &random);
    }
}

static char *
vector_input (const char  *input,
              gsize        input_len,
              char      *(*build) (gsize *len),
              gsize       *len)
{
  if (build != NULL)
    return build (len);

  *len = input_len;
  return g_memdup2 (input, input_len);
}

static void
test_valid_vector (gconstpointer data)
{
  const ValidVector *vector = data;
  g_auto(FeedResult) result = { 0 };
  g_autofree char *input = NULL;
  g_autofree char *text = NULL;
  gsize len;

  input = vector_input (vector->input, vector->input_len, vector->build, &len);
  feed_every_way (vector->name, input, len, &result);

  g_assert_no_error (result.error);
  g_assert_nonnull (result.reply);
  g_assert_true (result.idle);
  g_assert_cmpuint (result.consumed, ==, vector->consumed != 0 ? vector->consumed : len);
  g_assert_cmpuint (result.reply->code, ==, vector->code);
  g_assert_cmpuint (g_strv_length (result.reply->lines), ==, vector->n_lines);
  g_assert_cmpuint (result.reply->flags, ==, vector->flags);
  g_assert_cmpstr (result.reply->enhanced, ==, vector->enhanced);

  text = md_smtp_reply_dup_text (result.reply);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  if (vector->text != NULL)
    g_assert_cmpstr (text, ==, vector->text);
}

static void
test_invalid_vector (gconstpointer data)
{
  const InvalidVector *vector = data;
  g_auto(FeedResult) result = { 0 };
  g_autofree char *input = NULL;
  gsize len;

  input = vector_input (vector->input, vector->input_len, vector->build, &len);
  feed_every_way (vector->name, input, len, &result);

  g_assert_null (result.reply);
  g_assert_cmpuint (result.consumed, ==, vector->consumed != 0 ? vector->consumed : len);

  if (vector->error == INCOMPLETE)
    {
      g_assert_no_error (result.error);
      g_assert_false (result.idle);
    }
  else
    {
      g_assert_error (result.error, MD_ERROR, vector->error);
    }
}

/* Parser behaviour */

static void
test_pipelined (void)
{
  static const char input[] = "250-a\r\n250 b\r\n221 2.0.0 Bye\r\n";
  g_autoptr(MdSmtpReplyParser) parser = md_smtp_reply_parser_new ();
  g_autoptr(MdSmtpReply) first = NULL;
  g_autoptr(MdSmtpReply) second = NULL;
  g_autoptr(GError) error = NULL;
  const gsize len = sizeof input - 1;
  gsize n;

  n = md_smtp_reply_parser_feed (parser, (const guint8 *)input, len, &first, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 14);
  g_assert_cmpuint (first->code, ==, 250);
  g_assert_cmpstrv (first->lines, ((const char *[]) { "a", "b", NULL }));
  g_assert_true (md_smtp_reply_parser_is_idle (parser));

  n = md_smtp_reply_parser_feed (parser, (const guint8 *)input + 14, len - 14, &second, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, len - 14);
  g_assert_cmpuint (second->code, ==, 221);
  g_assert_cmpstr (second->enhanced, ==, "2.0.0");
}

static void
test_pipelined_in_bytes (void)
{
  static const char input[] = "250 a\r\n354 go\r\n250 done\r\n";
  g_autoptr(MdSmtpReplyParser) parser = md_smtp_reply_parser_new ();
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (gsize));

  replies = g_ptr_array_new_with_free_func ((GDestroyNotify)md_smtp_reply_free);

  for (gsize pos = 0; pos < sizeof input - 1; pos++)
    {
      MdSmtpReply *reply = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (md_smtp_reply_parser_feed (parser, (const guint8 *)input + pos, 1,
                                                   &reply, &error), ==, 1);
      g_assert_no_error (error);
      if (reply != NULL)
        {
          g_ptr_array_add (replies, reply);
          g_array_append_val (ends, pos);
        }
    }

  g_assert_cmpuint (replies->len, ==, 3);
  g_assert_cmpuint (((MdSmtpReply *)replies->pdata[1])->code, ==, 354);
  g_assert_cmpuint (g_array_index (ends, gsize, 0), ==, 6);
  g_assert_cmpuint (g_array_index (ends, gsize, 1), ==, 14);
  g_assert_cmpuint (g_array_index (ends, gsize, 2), ==, 24);
}

static void
test_sticky_error (void)
{
  static const char bad[] = "250-a\r\n220 b\r\n";
  static const char good[] = "250 ok\r\n";
  g_autoptr(MdSmtpReplyParser) parser = md_smtp_reply_parser_new ();
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  md_smtp_reply_parser_feed (parser, (const guint8 *)bad, sizeof bad - 1, &reply, &error);
  g_assert_error (error, MD_ERROR, MD_ERROR_MIXED_CODES);
  g_assert_cmpstr (error->message, ==, "The server's reply mixed different codes (250 and 220)");
  g_clear_error (&error);
  g_assert_false (md_smtp_reply_parser_is_idle (parser));

  /* Failed stays failed, whatever comes next and even with nothing. */
  g_assert_cmpuint (md_smtp_reply_parser_feed (parser, (const guint8 *)good, sizeof good - 1,
                                               &reply, &error), ==, 0);
  g_assert_error (error, MD_ERROR, MD_ERROR_MIXED_CODES);
  g_clear_error (&error);
  g_assert_cmpuint (md_smtp_reply_parser_feed (parser, NULL, 0, &reply, &error), ==, 0);
  g_assert_error (error, MD_ERROR, MD_ERROR_MIXED_CODES);
  g_clear_error (&error);
  g_assert_null (reply);

  md_smtp_reply_parser_reset (parser);
  g_assert_true (md_smtp_reply_parser_is_idle (parser));
  g_assert_cmpuint (md_smtp_reply_parser_feed (parser, (const guint8 *)good, sizeof good - 1,
                                               &reply, &error), ==, sizeof good - 1);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->code, ==, 250);
}

static void
assert_message (const char *input,
                gsize       len,
                const char *message)
{
  g_autoptr(MdSmtpReplyParser) parser = md_smtp_reply_parser_new ();
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  md_smtp_reply_parser_feed (parser, (const guint8 *)input, len, &reply, &error);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_messages (void)
{
  g_autofree char *long_line = NULL;
  g_autofree char *many_lines = NULL;
  g_autofree char *big_reply = NULL;
  gsize len;

  long_line = build_endless_line (&len);
  assert_message (long_line, len, "The server sent a line longer than 4096 characters");
  many_lines = build_257_lines (&len);
  assert_message (many_lines, len, "The server sent a reply of more than 256 lines");
  big_reply = build_reply_over_cap (&len);
  assert_message (big_reply, len, "The server sent a reply longer than 65536 characters");

  assert_message ("699 x\r\n", 7, "The server sent an unknown reply code (699)");
  assert_message ("220OK\r\n", 7, "The server's reply code 220 is not followed by a space");
  assert_message ("22X\r\n", 5,
                  "The server sent a line that does not start with a three-digit reply code");
}

/* Replies */

static void
test_enhanced (void)
{
  static const struct
  {
    const char *text;
    guint       code;
    const char *enhanced;
    gsize       consumed;
  } cases[] = {
    { "2.0.0 Ok", 250, "2.0.0", 6 },
    { "4.7.0", 421, "4.7.0", 5 },
    { "5.7.1 rejected", 550, "5.7.1", 6 },
    { "5.123.456 x", 554, "5.123.456", 10 },
    { "2.0.0 Ok", 421, NULL, 0 },
    { "3.0.0 go", 354, NULL, 0 },
    { "2.0. Ok", 250, NULL, 0 },
    { "2..0 Ok", 250, NULL, 0 },
    { "2.0.0Ok", 250, NULL, 0 },
    { "2.1000.0 x", 250, NULL, 0 },
    { "2.0.1000 x", 250, NULL, 0 },
    { "20.0.0 x", 250, NULL, 0 },
    { "", 250, NULL, 0 },
    { "Ok", 250, NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *enhanced = NULL;
      gsize consumed = 0;
      gboolean found;

      found = md_smtp_parse_enhanced_code (cases[i].text, cases[i].code, &enhanced, &consumed);
      g_assert_cmpint (found, ==, cases[i].enhanced != NULL);
      g_assert_cmpstr (enhanced, ==, cases[i].enhanced);
      g_assert_cmpuint (consumed, ==, cases[i].consumed);
    }

  g_assert_true (md_smtp_parse_enhanced_code ("4.4.2 x", 421, NULL, NULL));
}

static void
test_reply_new (void)
{
  const char *lines[] = { "4.7.0 mx.example.com busy", "try later", NULL };
  g_autoptr(MdSmtpReply) reply = md_smtp_reply_new (421, lines);
  g_autoptr(MdSmtpReply) copy = NULL;
  g_autoptr(MdSmtpReply) empty = md_smtp_reply_new (250, NULL);
  g_autoptr(MdSmtpReply) dirty = NULL;
  g_autofree char *text = NULL;
  g_autofree char *wire = NULL;
  g_autofree char *empty_wire = NULL;

  g_assert_cmpuint (reply->code, ==, 421);
  g_assert_cmpstr (reply->enhanced, ==, "4.7.0");
  g_assert_cmpuint (reply->flags, ==, MD_SMTP_REPLY_NORMAL);
  g_assert_cmpuint (md_smtp_reply_get_class (reply), ==, 4);

  text = md_smtp_reply_dup_text (reply);
  g_assert_cmpstr (text, ==, "4.7.0 mx.example.com busy\ntry later");
  wire = md_smtp_reply_to_string (reply);
  g_assert_cmpstr (wire, ==, "421-4.7.0 mx.example.com busy\n421 try later");

  copy = g_boxed_copy (MD_TYPE_SMTP_REPLY, reply);
  g_assert_true (copy != reply);
  g_assert_cmpstrv (copy->lines, reply->lines);
  g_assert_cmpstr (copy->enhanced, ==, reply->enhanced);

  g_assert_cmpstrv (empty->lines, ((const char *[]) { "", NULL }));
  empty_wire = md_smtp_reply_to_string (empty);
  g_assert_cmpstr (empty_wire, ==, "250 ");

  dirty = md_smtp_reply_new (220, (const char *[]) { "a\x1b" "b", NULL });
  g_assert_cmpstr (dirty->lines[0], ==, "a\\x1Bb");
}

static void
test_flags_type (void)
{
  g_autoptr(GFlagsClass) klass = g_type_class_ref (MD_TYPE_SMTP_REPLY_FLAGS);

  g_assert_cmpuint (g_flags_get_value_by_nick (klass, "bare-lf")->value, ==,
                    MD_SMTP_REPLY_BARE_LF);
  g_assert_cmpuint (g_flags_get_value_by_nick (klass, "not-utf8")->value, ==,
                    MD_SMTP_REPLY_NOT_UTF8);
  g_assert_true (G_TYPE_IS_BOXED (MD_TYPE_SMTP_REPLY));
  g_assert_true (G_TYPE_IS_BOXED (MD_TYPE_SMTP_CAPS));
}

/* EHLO capabilities */

static MdSmtpCaps *
parse_caps (const char *ehlo)
{
  g_autoptr(MdSmtpReplyParser) parser = md_smtp_reply_parser_new ();
  g_autoptr(MdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  md_smtp_reply_parser_feed (parser, (const guint8 *)ehlo, strlen (ehlo), &reply, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);

  return md_smtp_caps_parse (reply);
}

static void
test_caps_postfix (void)
{
  g_autoptr(MdSmtpCaps) caps = NULL;

  caps = parse_caps ("250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
                     "250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n"
                     "250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n");

  g_assert_cmpstr (caps->domain, ==, "mx.example.com");
  g_assert_cmpstr (caps->greeting, ==, "");
  g_assert_true (caps->starttls);
  g_assert_true (caps->pipelining);
  g_assert_true (caps->eightbitmime);
  g_assert_true (caps->smtputf8);
  g_assert_true (caps->enhancedstatuscodes);
  g_assert_true (caps->chunking);
  g_assert_true (caps->dsn);
  g_assert_true (caps->has_size);
  g_assert_cmpuint (caps->size, ==, 10240000);
  g_assert_cmpstrv (caps->auth, ((const char *[]) { NULL }));
  g_assert_cmpuint (g_strv_length (caps->keywords), ==, 10);
  g_assert_cmpstr (caps->keywords[1], ==, "SIZE 10240000");
  g_assert_false (md_smtp_caps_has_auth (caps, "PLAIN"));
}

static void
test_caps_exim (void)
{
  g_autoptr(MdSmtpCaps) caps = NULL;

  caps = parse_caps ("250-mx.example.org Hello client.example.net [192.0.2.1]\r\n"
                     "250-SIZE 52428800\r\n250-8BITMIME\r\n250-PIPELINING\r\n"
                     "250-PIPECONNECT\r\n250-AUTH PLAIN LOGIN\r\n250-CHUNKING\r\n"
                     "250-PRDR\r\n250 HELP\r\n");

  g_assert_cmpstr (caps->domain, ==, "mx.example.org");
  g_assert_cmpstr (caps->greeting, ==, "Hello client.example.net [192.0.2.1]");
  g_assert_false (caps->starttls);
  g_assert_false (caps->dsn);
  g_assert_true (caps->chunking);
  g_assert_cmpuint (caps->size, ==, 52428800);
  g_assert_cmpstrv (caps->auth, ((const char *[]) { "PLAIN", "LOGIN", NULL }));
  g_assert_true (md_smtp_caps_has_auth (caps, "login"));
  g_assert_false (md_smtp_caps_has_auth (caps, "CRAM-MD5"));
  g_assert_cmpstr (caps->keywords[7], ==, "HELP");
}

static void
test_caps_gmail (void)
{
  g_autoptr(MdSmtpCaps) caps = NULL;
  g_autoptr(MdSmtpCaps) copy = NULL;

  caps = parse_caps ("250-smtp.gmail.com at your service, [203.0.113.5]\r\n"
                     "250-SIZE 35882577\r\n250-8BITMIME\r\n"
                     "250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n"
                     "250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n"
                     "250 SMTPUTF8\r\n");

  g_assert_cmpstr (caps->domain, ==, "smtp.gmail.com");
  g_assert_cmpstr (caps->greeting, ==, "at your service, [203.0.113.5]");
  g_assert_cmpuint (caps->size, ==, 35882577);
  g_assert_cmpstrv (caps->auth, ((const char *[]) { "LOGIN", "PLAIN", "XOAUTH2",
                                                   "PLAIN-CLIENTTOKEN", "OAUTHBEARER",
                                                   "XOAUTH", NULL }));
  g_assert_true (caps->smtputf8);

  copy = g_boxed_copy (MD_TYPE_SMTP_CAPS, caps);
  g_assert_cmpstr (copy->domain, ==, caps->domain);
  g_assert_cmpstrv (copy->auth, caps->auth);
  g_assert_cmpstrv (copy->keywords, caps->keywords);
  g_assert_cmpuint (copy->size, ==, caps->size);
  g_assert_true (copy->auth != caps->auth);
}

static void
test_caps_smtp_sink (void)
{
  g_autoptr(MdSmtpCaps) caps = NULL;

  caps = parse_caps ("250-smtp-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
                     "250-AUTH PLAIN LOGIN\r\n250-XCLIENT NAME HELO\r\n"
                     "250-XFORWARD NAME ADDR PROTO HELO\r\n250-ENHANCEDSTATUSCODES\r\n"
                     "250-DSN\r\n250 \r\n");

  g_assert_cmpstr (caps->domain, ==, "smtp-sink");
  g_assert_true (caps->dsn);
  g_assert_true (caps->enhancedstatuscodes);
  g_assert_false (caps->has_size);
  g_assert_cmpstrv (caps->auth, ((const char *[]) { "PLAIN", "LOGIN", NULL }));
  /* The empty last line is no extension. */
  g_assert_cmpuint (g_strv_length (caps->keywords), ==, 7);
  g_assert_cmpstr (caps->keywords[6], ==, "DSN");
}

static void
test_caps_auth_forms (void)
{
  g_autoptr(MdSmtpCaps) caps = NULL;

  caps = parse_caps ("250-mx.example.com\r\n250-auth=login plain\r\n"
                     "250-AUTH  LOGIN   PLAIN  CRAM-MD5 \r\n250-Auth=NTLM\r\n250-AUTH\r\n"
                     "250 starttls\r\n");

  g_assert_cmpstrv (caps->auth, ((const char *[]) { "LOGIN", "PLAIN", "CRAM-MD5", "NTLM",
                                                   NULL }));
  g_assert_true (md_smtp_caps_has_auth (caps, "cram-md5"));
  g_assert_true (caps->starttls);
  g_assert_cmpstr (caps->keywords[0], ==, "auth=login plain");
}

static void
test_caps_size (void)
{
  static const struct
  {
    const char *line;
    guint64     size;
  } cases[] = {
    { "SIZE", 0 },
    { "SIZE 0", 0 },
    { "SIZE 1000", 1000 },
    { "size 18446744073709551615", G_MAXUINT64 },
    { "SIZE 18446744073709551616", 0 },
    { "SIZE -5", 0 },
    { "SIZE 10MB", 0 },
    { "SIZE  42  extra", 42 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ehlo = g_strdup_printf ("250-mx\r\n250-%s\r\n250 DSN\r\n",
                                               cases[i].line);
      g_autoptr(MdSmtpCaps) caps = parse_caps (ehlo);

      g_assert_true (caps->has_size);
      g_assert_cmpuint (caps->size, ==, cases[i].size);
      /* A bad number does not stop the lines after it. */
      g_assert_true (caps->dsn);
    }
}

static void
test_caps_odd (void)
{
  g_autoptr(MdSmtpReply) empty = md_smtp_reply_new (250, NULL);
  g_autoptr(MdSmtpCaps) from_empty = md_smtp_caps_parse (empty);
  g_autoptr(MdSmtpCaps) one_line = parse_caps ("250 mx.example.com\r\n");
  g_autoptr(MdSmtpCaps) junk = NULL;
  g_autoptr(MdSmtpCaps) spaces = parse_caps ("250-   mx.example.com   hi there \r\n250    \r\n");

  g_assert_cmpstr (from_empty->domain, ==, "");
  g_assert_cmpstr (from_empty->greeting, ==, "");
  g_assert_cmpstrv (from_empty->auth, ((const char *[]) { NULL }));
  g_assert_cmpstrv (from_empty->keywords, ((const char *[]) { NULL }));

  g_assert_cmpstr (one_line->domain, ==, "mx.example.com");
  g_assert_false (one_line->starttls);
  g_assert_false (one_line->has_size);

  junk = parse_caps ("250-\x01\xff garbage\r\n250-=\r\n250-AUTH=\r\n250-STARTTLSX\r\n"
                     "250-\x1b[2J\r\n250 8BITMIME\r\n");
  g_assert_cmpstr (junk->domain, ==, "\\x01\\xFF");
  g_assert_cmpstrv (junk->auth, ((const char *[]) { NULL }));
  g_assert_false (junk->starttls);
  g_assert_true (junk->eightbitmime);
  g_assert_cmpuint (g_strv_length (junk->keywords), ==, 5);

  g_assert_cmpstr (spaces->domain, ==, "mx.example.com");
  g_assert_cmpstr (spaces->greeting, ==, "hi there ");
  g_assert_cmpstrv (spaces->keywords, ((const char *[]) { NULL }));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_assert_cmpuint (G_N_ELEMENTS (valid_vectors), >=, 25);
  g_assert_cmpuint (G_N_ELEMENTS (invalid_vectors), >=, 20);

  for (guint i = 0; i < G_N_ELEMENTS (valid_vectors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/md/core/reply/valid/%s", valid_vectors[i].name);

      g_test_add_data_func (path, &valid_vectors[i], test_valid_vector);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid_vectors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/md/core/reply/invalid/%s",
                                               invalid_vectors[i].name);

      g_test_add_data_func (path, &invalid_vectors[i], test_invalid_vector);
    }

  g_test_add_func ("/md/core/reply/pipelined", test_pipelined);
  g_test_add_func ("/md/core/reply/pipelined-in-bytes", test_pipelined_in_bytes);
  g_test_add_func ("/md/core/reply/sticky-error", test_sticky_error);
  g_test_add_func ("/md/core/reply/messages", test_messages);
  g_test_add_func ("/md/core/reply/enhanced", test_enhanced);
  g_test_add_func ("/md/core/reply/new", test_reply_new);
  g_test_add_func ("/md/core/reply/flags-type", test_flags_type);
  g_test_add_func ("/md/core/caps/postfix", test_caps_postfix);
  g_test_add_func ("/md/core/caps/exim", test_caps_exim);
  g_test_add_func ("/md/core/caps/gmail", test_caps_gmail);
  g_test_add_func ("/md/core/caps/smtp-sink", test_caps_smtp_sink);
  g_test_add_func ("/md/core/caps/auth-forms", test_caps_auth_forms);
  g_test_add_func ("/md/core/caps/size", test_caps_size);
  g_test_add_func ("/md/core/caps/odd", test_caps_odd);

  return g_test_run ();
}
