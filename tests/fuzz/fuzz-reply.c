/* fuzz-reply.c: the SMTP reply parser and EHLO capabilities
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte picks the size of the pieces the bytes after it are fed
 * in; the parser is incremental, so feeding the same bytes whole must give
 * the same replies and the same error.
 */

#include <string.h>

#include "md-error.h"
#include "md-smtp-reply.h"
#include "md-fuzz.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  md_fuzz_init ();
  return 0;
}

static void
check_caps (const MdSmtpReply *reply)
{
  g_autoptr(MdSmtpCaps) caps = md_smtp_caps_parse (reply);
  g_autoptr(MdSmtpCaps) copy = md_smtp_caps_copy (caps);

  md_fuzz_check_utf8 (caps->domain, "caps domain");
  md_fuzz_check_utf8 (caps->greeting, "caps greeting");
  md_fuzz_check_strv ((const char * const *)caps->auth, "caps auth");
  md_fuzz_check_strv ((const char * const *)caps->keywords, "caps keyword");

  for (guint i = 0; caps->auth != NULL && caps->auth[i] != NULL; i++)
    {
      g_autofree char *upper = g_ascii_strup (caps->auth[i], -1);

      if (strcmp (upper, caps->auth[i]) != 0)
        md_fuzz_fail ("auth mechanism %s is not upper case", caps->auth[i]);
      for (guint j = 0; j < i; j++)
        if (strcmp (caps->auth[i], caps->auth[j]) == 0)
          md_fuzz_fail ("auth mechanism %s twice", caps->auth[i]);
      if (!md_smtp_caps_has_auth (caps, caps->auth[i]))
        md_fuzz_fail ("has_auth misses %s", caps->auth[i]);
    }

  if (g_strcmp0 (copy->domain, caps->domain) != 0 || copy->size != caps->size)
    md_fuzz_fail ("caps copy differs");
}

/* Writes @reply back as a server would, reads it again, and wants the same
 * code and lines: what the parser keeps must survive being sent again. */
static void
check_round_trip (const MdSmtpReply *reply)
{
  g_autoptr(GString) wire = g_string_new (NULL);
  g_autoptr(MdSmtpReplyParser) parser = md_smtp_reply_parser_new ();
  g_autoptr(MdSmtpReply) again = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; reply->lines[i] != NULL; i++)
    g_string_append_printf (wire, "%03u%c%s\r\n", reply->code,
                            reply->lines[i + 1] == NULL ? ' ' : '-', reply->lines[i]);

  md_smtp_reply_parser_feed (parser, (const guint8 *)wire->str, wire->len, &again, &error);
  if (error != NULL)
    md_fuzz_fail ("a parsed reply does not parse again: %s", error->message);
  if (again == NULL || again->code != reply->code ||
      !g_strv_equal ((const char * const *)again->lines, (const char * const *)reply->lines))
    md_fuzz_fail ("a parsed reply reads back differently");
}

static void
check_reply (const MdSmtpReply *reply)
{
  g_autofree char *text = md_smtp_reply_dup_text (reply);
  g_autofree char *wire = md_smtp_reply_to_string (reply);
  g_autoptr(MdSmtpReply) copy = md_smtp_reply_copy (reply);

  if (reply->code < 200 || reply->code > 599)
    md_fuzz_fail ("reply code %u out of range", reply->code);
  if (reply->lines == NULL || reply->lines[0] == NULL)
    md_fuzz_fail ("a reply without lines");
  md_fuzz_check_strv ((const char * const *)reply->lines, "reply line");
  for (guint i = 0; reply->lines[i] != NULL; i++)
    for (const char *p = reply->lines[i]; *p != '\0'; p++)
      if ((guchar)*p < 0x20 || *p == 0x7f)
        md_fuzz_fail ("control character 0x%02x in a reply line", (guchar)*p);
  md_fuzz_check_utf8 (reply->enhanced, "enhanced code");
  if (reply->enhanced != NULL && reply->enhanced[0] - '0' != (int)(reply->code / 100))
    md_fuzz_fail ("enhanced code %s does not match %u", reply->enhanced, reply->code);
  md_fuzz_check_utf8 (text, "reply text");
  md_fuzz_check_utf8 (wire, "reply string");
  if (copy->code != reply->code || g_strcmp0 (copy->enhanced, reply->enhanced) != 0)
    md_fuzz_fail ("reply copy differs");

  check_round_trip (reply);
  if (md_smtp_reply_get_class (reply) == 2)
    check_caps (reply);
}

static char *
describe (const MdSmtpReply *reply)
{
  g_autofree char *text = md_smtp_reply_dup_text (reply);

  return g_strdup_printf ("%u|%u|%s|%s", reply->code, reply->flags,
                          reply->enhanced ? reply->enhanced : "-", text);
}

/* Feeds @data in pieces of @step bytes until the first error; returns what
 * came out, one string per reply and one for the error or the end. */
static GPtrArray *
parse_all (const guint8 *data,
           gsize         len,
           gsize         step)
{
  g_autoptr(MdSmtpReplyParser) parser = md_smtp_reply_parser_new ();
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  gsize pos = 0;

  while (pos < len)
    {
      gsize piece = MIN (step, len - pos);
      gsize used = 0;

      while (used < piece)
        {
          g_autoptr(MdSmtpReply) reply = NULL;
          g_autoptr(GError) error = NULL;
          gsize consumed = md_smtp_reply_parser_feed (parser, data + pos + used, piece - used,
                                                      &reply, &error);

          if (consumed > piece - used)
            md_fuzz_fail ("the parser consumed more than it was given");
          used += consumed;
          if (error != NULL)
            {
              g_ptr_array_add (out, g_strdup_printf ("error %d", error->code));
              md_fuzz_check_utf8 (error->message, "parser error");
              return out;
            }
          if (reply == NULL)
            {
              if (used != piece)
                md_fuzz_fail ("the parser left bytes without a reply");
              break;
            }
          check_reply (reply);
          g_ptr_array_add (out, describe (reply));
        }
      pos += piece;
    }

  g_ptr_array_add (out, g_strdup (md_smtp_reply_parser_is_idle (parser) ? "idle" : "partial"));
  return out;
}

static void
check_enhanced (const char *text)
{
  static const guint codes[] = { 250, 354, 450, 550 };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *enhanced = NULL;
      gsize consumed = 0;

      if (!md_smtp_parse_enhanced_code (text, codes[i], &enhanced, &consumed))
        continue;
      if (consumed > strlen (text))
        md_fuzz_fail ("enhanced code consumed past the text");
      md_fuzz_check_utf8 (enhanced, "enhanced code");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(GPtrArray) pieces = NULL;
  g_autofree char *text = NULL;
  gsize step;

  if (size < 1 || size > 4 * MD_SMTP_MAX_REPLY_LENGTH)
    return -1;

  step = (data[0] & 0x3f) + 1;
  whole = parse_all (data + 1, size - 1, size);
  pieces = parse_all (data + 1, size - 1, step);

  if (whole->len != pieces->len)
    md_fuzz_fail ("%u results whole, %u in pieces of %zu", whole->len, pieces->len, step);
  for (guint i = 0; i < whole->len; i++)
    if (strcmp (whole->pdata[i], pieces->pdata[i]) != 0)
      md_fuzz_fail ("result %u differs in pieces of %zu", i, step);

  text = md_fuzz_dup_string (data + 1, size - 1);
  check_enhanced (text);

  return 0;
}
