/* md-smtp-reply.c: SMTP replies, their bounded parser and EHLO capabilities
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every byte handled here was chosen by a server that may be broken or
 * hostile. So the parser holds at most one line (capped) plus the lines of
 * one reply (capped in count and size), stops at the end of each reply so
 * that bytes after it stay with the caller, and stores only sanitised text.
 * What it tolerates (bare LF, control characters, bad UTF-8) it records in
 * the reply's flags, because those quirks are evidence for a diagnosis.
 */

#include "md-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "md-error.h"
#include "md-smtp-reply.h"
#include "md-transcript.h"

G_DEFINE_BOXED_TYPE (MdSmtpReply, md_smtp_reply, md_smtp_reply_copy, md_smtp_reply_free)
G_DEFINE_BOXED_TYPE (MdSmtpCaps, md_smtp_caps, md_smtp_caps_copy, md_smtp_caps_free)

/* Enhanced status codes (RFC 3463) */

static gsize
count_digits (const char *text,
              gsize       max)
{
  gsize n = 0;

  while (n < max && g_ascii_isdigit (text[n]))
    n++;

  return n;
}

/**
 * md_smtp_parse_enhanced_code:
 * @text: the text of a reply's first line
 * @reply_code: the reply's code
 * @enhanced: (out) (optional): the code found, such as "4.7.0"
 * @consumed: (out) (optional): its length, with the space after it
 *
 * Looks for "class.subject.detail" at the start of @text, followed by a
 * space or the end of the text. The class must be the first digit of
 * @reply_code, or the text only looks like a code by chance.
 *
 * Returns: %TRUE when @text starts with an enhanced code; the out
 *   arguments are set only then
 */
gboolean
md_smtp_parse_enhanced_code (const char  *text,
                             guint        reply_code,
                             char       **enhanced,
                             gsize       *consumed)
{
  guint klass = reply_code / 100;
  gsize pos = 2;
  gsize n;

  g_return_val_if_fail (text != NULL, FALSE);

  if ((klass != 2 && klass != 4 && klass != 5) ||
      text[0] != (char)('0' + klass) || text[1] != '.')
    return FALSE;

  n = count_digits (text + pos, 3);
  if (n == 0 || text[pos + n] != '.')
    return FALSE;
  pos += n + 1;

  n = count_digits (text + pos, 3);
  if (n == 0 || (text[pos + n] != ' ' && text[pos + n] != '\0'))
    return FALSE;
  pos += n;

  if (enhanced != NULL)
    *enhanced = g_strndup (text, pos);
  if (consumed != NULL)
    *consumed = text[pos] == ' ' ? pos + 1 : pos;

  return TRUE;
}

/* Replies */

/* Takes @lines, which must hold at least one line. */
static MdSmtpReply *
reply_new_take (guint             code,
                GStrv             lines,
                MdSmtpReplyFlags  flags)
{
  MdSmtpReply *self = g_new0 (MdSmtpReply, 1);

  self->code = code;
  self->lines = lines;
  self->flags = flags;
  md_smtp_parse_enhanced_code (lines[0], code, &self->enhanced, NULL);

  return self;
}

/**
 * md_smtp_reply_new:
 * @code: the reply code, 200 to 599
 * @lines: (nullable) (array zero-terminated=1): the text of each line
 *
 * Builds a reply as the parser would, for tests and for code that makes
 * up replies. The lines are sanitised; no line at all means one empty
 * line, since every reply has at least one.
 *
 * Returns: (transfer full): a new reply
 */
MdSmtpReply *
md_smtp_reply_new (guint               code,
                   const char * const *lines)
{
  guint n;
  GStrv copy;

  g_return_val_if_fail (code >= 200 && code <= 599, NULL);

  n = lines != NULL ? g_strv_length ((GStrv)lines) : 0;
  copy = g_new0 (char *, MAX (n, 1) + 1);

  for (guint i = 0; i < n; i++)
    copy[i] = md_transcript_sanitize (lines[i], -1);
  if (n == 0)
    copy[0] = g_strdup ("");

  return reply_new_take (code, copy, MD_SMTP_REPLY_NORMAL);
}

MdSmtpReply *
md_smtp_reply_copy (const MdSmtpReply *self)
{
  MdSmtpReply *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (MdSmtpReply, 1);
  copy->code = self->code;
  copy->enhanced = g_strdup (self->enhanced);
  copy->lines = g_strdupv (self->lines);
  copy->flags = self->flags;

  return copy;
}

void
md_smtp_reply_free (MdSmtpReply *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->enhanced, g_free);
  g_clear_pointer (&self->lines, g_strfreev);
  g_free (self);
}

/**
 * md_smtp_reply_dup_text:
 *
 * Returns: (transfer full): the text of all lines, joined with "\n"
 */
char *
md_smtp_reply_dup_text (const MdSmtpReply *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_strjoinv ("\n", self->lines);
}

/**
 * md_smtp_reply_to_string:
 *
 * Returns: (transfer full): the reply as it looked on the wire, with "\n"
 *   between lines: "421-first\n421 last"
 */
char *
md_smtp_reply_to_string (const MdSmtpReply *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; self->lines[i] != NULL; i++)
    {
      gboolean last = self->lines[i + 1] == NULL;

      g_string_append_printf (out, "%s%03u%c%s", i > 0 ? "\n" : "",
                              self->code, last ? ' ' : '-', self->lines[i]);
    }

  return g_string_free (out, FALSE);
}

/**
 * md_smtp_reply_get_class:
 *
 * Returns: the first digit of the code: 2 success, 3 go on, 4 try again
 *   later, 5 failed
 */
guint
md_smtp_reply_get_class (const MdSmtpReply *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->code / 100;
}

/* The parser */

struct _MdSmtpReplyParser
{
  GByteArray        *line;        /* the partial line, at most the cap plus a CR */
  GPtrArray         *lines;       /* sanitised text of the reply's lines so far */
  guint              code;
  gsize              reply_bytes; /* raw bytes of the reply's complete lines */
  MdSmtpReplyFlags   flags;
  GError            *failure;     /* set once a fatal error happened */
};

MdSmtpReplyParser *
md_smtp_reply_parser_new (void)
{
  MdSmtpReplyParser *self = g_new0 (MdSmtpReplyParser, 1);

  self->line = g_byte_array_new ();
  self->lines = g_ptr_array_new_with_free_func (g_free);

  return self;
}

void
md_smtp_reply_parser_free (MdSmtpReplyParser *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->line, g_byte_array_unref);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_error (&self->failure);
  g_free (self);
}

/**
 * md_smtp_reply_parser_reset:
 *
 * Forgets any partial reply and any earlier error.
 */
void
md_smtp_reply_parser_reset (MdSmtpReplyParser *self)
{
  g_return_if_fail (self != NULL);

  g_byte_array_set_size (self->line, 0);
  g_ptr_array_set_size (self->lines, 0);
  self->code = 0;
  self->reply_bytes = 0;
  self->flags = MD_SMTP_REPLY_NORMAL;
  g_clear_error (&self->failure);
}

/**
 * md_smtp_reply_parser_is_idle:
 *
 * Returns: %TRUE when the parser holds no part of a reply and has not
 *   failed, that is, between replies
 */
gboolean
md_smtp_reply_parser_is_idle (MdSmtpReplyParser *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->line->len == 0 && self->lines->len == 0 && self->failure == NULL;
}

static void
fail (MdSmtpReplyParser  *self,
      GError             *failure,
      GError            **error)
{
  self->failure = failure;
  g_propagate_error (error, g_error_copy (failure));
}

/* Returns 0 when @len more bytes of a line fit under the cap, or else how
 * many of them were taken up to and including the first one too many. The
 * partial line may hold one byte more than the cap when that byte is a CR,
 * since it may be the start of the CRLF that ends a line exactly at the
 * cap. Bytes are counted as they come, so a chunked feed fails at the same
 * byte as a whole one. */
static gsize
count_until_overflow (const GByteArray *line,
                      const guint8     *data,
                      gsize             len)
{
  const gsize cap = MD_SMTP_MAX_LINE_LENGTH;
  gsize held = line->len;
  guint8 at_cap;

  if (held + len <= cap)
    return 0;

  at_cap = held > cap ? line->data[cap] : data[cap - held];
  if (at_cap != '\r')
    return cap - held + 1;
  if (held + len == cap + 1)
    return 0;

  return cap - held + 2;
}

static gboolean
is_control_char (gunichar c)
{
  /* A tab is allowed in reply text (RFC 5321 §4.2); C1 controls are
   * controls too, for terminals that honour them. */
  return (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0);
}

static MdSmtpReplyFlags
text_flags (const char *text,
            gsize       len)
{
  MdSmtpReplyFlags flags = MD_SMTP_REPLY_NORMAL;
  const char *end = text + len;

  while (text < end)
    {
      gunichar c;

      /* GLib's validator calls a NUL invalid; here it is a control. */
      if (*text == '\0')
        {
          flags |= MD_SMTP_REPLY_CONTROL_CHARS;
          text++;
          continue;
        }

      c = g_utf8_get_char_validated (text, end - text);
      if (c == (gunichar)-1 || c == (gunichar)-2)
        {
          flags |= MD_SMTP_REPLY_NOT_UTF8;
          text++;
          continue;
        }

      if (is_control_char (c))
        flags |= MD_SMTP_REPLY_CONTROL_CHARS;
      text = g_utf8_next_char (text);
    }

  return flags;
}

/* Reads "NNN", "NNN text" or "NNN-text" (RFC 5321 §4.2.1). */
static gboolean
parse_code (const guint8  *text,
            gsize          len,
            guint         *code,
            gboolean      *last,
            GError       **error)
{
  if (len < 3 || !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[2]))
    {
      g_set_error_literal (error, MD_ERROR, MD_ERROR_PROTOCOL,
                           _("The server sent a line that does not start with a "
                             "three-digit reply code"));
      return FALSE;
    }

  *code = (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');

  if (text[0] < '2' || text[0] > '5' || text[1] > '5')
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PROTOCOL,
                   _("The server sent an unknown reply code (%03u)"), *code);
      return FALSE;
    }

  if (len > 3 && text[3] != ' ' && text[3] != '-')
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PROTOCOL,
                   _("The server's reply code %03u is not followed by a space"), *code);
      return FALSE;
    }

  *last = len == 3 || text[3] == ' ';

  return TRUE;
}

static gboolean
check_reply_caps (MdSmtpReplyParser  *self,
                  GError            **error)
{
  if (self->reply_bytes > MD_SMTP_MAX_REPLY_LENGTH)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_REPLY_TOO_LARGE,
                   _("The server sent a reply longer than %d characters"),
                   MD_SMTP_MAX_REPLY_LENGTH);
      return FALSE;
    }

  if (self->lines->len >= MD_SMTP_MAX_REPLY_LINES)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_REPLY_TOO_LARGE,
                   _("The server sent a reply of more than %d lines"),
                   MD_SMTP_MAX_REPLY_LINES);
      return FALSE;
    }

  return TRUE;
}

/* Handles the complete line in self->line, whose LF was just seen. */
static gboolean
finish_line (MdSmtpReplyParser  *self,
             gboolean           *last,
             GError            **error)
{
  const guint8 *data = self->line->data;
  gsize len = self->line->len;
  const char *text;
  gsize text_len;
  guint code;

  self->reply_bytes += len + 1;

  if (len > 0 && data[len - 1] == '\r')
    len--;
  else
    self->flags |= MD_SMTP_REPLY_BARE_LF;

  if (!check_reply_caps (self, error) || !parse_code (data, len, &code, last, error))
    return FALSE;

  if (self->lines->len > 0 && code != self->code)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_MIXED_CODES,
                   _("The server's reply mixed different codes (%03u and %03u)"),
                   self->code, code);
      return FALSE;
    }

  self->code = code;
  text = (const char *)data + MIN (len, 4);
  text_len = len - MIN (len, 4);
  self->flags |= text_flags (text, text_len);
  g_ptr_array_add (self->lines, md_transcript_sanitize (text, text_len));
  g_byte_array_set_size (self->line, 0);

  return TRUE;
}

static MdSmtpReply *
take_reply (MdSmtpReplyParser *self)
{
  MdSmtpReply *reply;

  g_ptr_array_add (self->lines, NULL);
  reply = reply_new_take (self->code, (GStrv)g_ptr_array_free (self->lines, FALSE),
                          self->flags);

  self->lines = g_ptr_array_new_with_free_func (g_free);
  self->code = 0;
  self->reply_bytes = 0;
  self->flags = MD_SMTP_REPLY_NORMAL;

  return reply;
}

/**
 * md_smtp_reply_parser_feed:
 * @data: (array length=len): bytes from the server
 * @reply: (out): set to the reply once one is complete
 *
 * Consumes bytes until one reply is complete, all of @data is used, or an
 * error happens. Bytes after a complete reply are left for the next call:
 * they may be a pipelined reply, or data injected before a TLS handshake.
 * Without a reply or an error, all of @data is consumed. After an error
 * the parser fails every call until it is reset.
 *
 * Returns: how many bytes of @data were consumed
 */
gsize
md_smtp_reply_parser_feed (MdSmtpReplyParser  *self,
                           const guint8       *data,
                           gsize               len,
                           MdSmtpReply       **reply,
                           GError            **error)
{
  gsize pos = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (data != NULL || len == 0, 0);
  g_return_val_if_fail (reply != NULL && *reply == NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (self->failure != NULL)
    {
      g_propagate_error (error, g_error_copy (self->failure));
      return 0;
    }

  while (pos < len)
    {
      const guint8 *lf = memchr (data + pos, '\n', len - pos);
      gsize n = lf != NULL ? (gsize)(lf - (data + pos)) : len - pos;
      gsize overflow = count_until_overflow (self->line, data + pos, n);
      GError *local_error = NULL;
      gboolean last = FALSE;

      if (overflow > 0)
        {
          fail (self, g_error_new (MD_ERROR, MD_ERROR_REPLY_TOO_LARGE,
                                   _("The server sent a line longer than %d characters"),
                                   MD_SMTP_MAX_LINE_LENGTH),
                error);
          return pos + overflow;
        }

      g_byte_array_append (self->line, data + pos, n);
      pos += n;
      if (lf == NULL)
        break;
      pos++;

      if (!finish_line (self, &last, &local_error))
        {
          fail (self, local_error, error);
          return pos;
        }

      if (last)
        {
          *reply = take_reply (self);
          return pos;
        }
    }

  return pos;
}

/* EHLO capabilities */

static const struct
{
  const char *keyword;
  gsize       offset;
} caps_flags[] = {
  { "STARTTLS", G_STRUCT_OFFSET (MdSmtpCaps, starttls) },
  { "PIPELINING", G_STRUCT_OFFSET (MdSmtpCaps, pipelining) },
  { "8BITMIME", G_STRUCT_OFFSET (MdSmtpCaps, eightbitmime) },
  { "SMTPUTF8", G_STRUCT_OFFSET (MdSmtpCaps, smtputf8) },
  { "ENHANCEDSTATUSCODES", G_STRUCT_OFFSET (MdSmtpCaps, enhancedstatuscodes) },
  { "CHUNKING", G_STRUCT_OFFSET (MdSmtpCaps, chunking) },
  { "DSN", G_STRUCT_OFFSET (MdSmtpCaps, dsn) },
};

/* Splits on spaces, dropping the empty words that runs of spaces make. */
static GStrv
split_words (const char *line)
{
  g_auto(GStrv) parts = g_strsplit (line, " ", -1);
  GPtrArray *words = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] != '\0')
        g_ptr_array_add (words, g_strdup (parts[i]));
    }
  g_ptr_array_add (words, NULL);

  return (GStrv)g_ptr_array_free (words, FALSE);
}

static void
add_mechanism (GPtrArray  *auth,
               const char *word)
{
  g_autofree char *mechanism = g_ascii_strup (word, -1);

  if (mechanism[0] == '\0' ||
      g_ptr_array_find_with_equal_func (auth, mechanism, g_str_equal, NULL))
    return;

  g_ptr_array_add (auth, g_steal_pointer (&mechanism));
}

static void
parse_size (MdSmtpCaps *self,
            const char *word)
{
  guint64 size = 0;

  self->has_size = TRUE;

  /* A number we cannot read is taken as no announced limit, rather than
   * as a reason to distrust the other capabilities. */
  if (word == NULL || !g_ascii_string_to_unsigned (word, 10, 0, G_MAXUINT64, &size, NULL))
    size = 0;

  self->size = size;
}

static void
parse_keyword_line (MdSmtpCaps *self,
                    const char *line,
                    GPtrArray  *auth,
                    GPtrArray  *keywords)
{
  g_auto(GStrv) words = split_words (line);
  const char *keyword = words[0];

  if (keyword == NULL)
    return;

  g_ptr_array_add (keywords, g_strdup (line));

  /* "AUTH=LOGIN PLAIN" is how servers spoke to clients that predate
   * RFC 4954; many still send both forms. */
  if (g_ascii_strncasecmp (keyword, "AUTH=", 5) == 0 ||
      g_ascii_strcasecmp (keyword, "AUTH") == 0)
    {
      if (keyword[4] == '=')
        add_mechanism (auth, keyword + 5);
      for (guint i = 1; words[i] != NULL; i++)
        add_mechanism (auth, words[i]);
      return;
    }

  if (g_ascii_strcasecmp (keyword, "SIZE") == 0)
    {
      parse_size (self, words[1]);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (caps_flags); i++)
    {
      if (g_ascii_strcasecmp (keyword, caps_flags[i].keyword) == 0)
        G_STRUCT_MEMBER (gboolean, self, caps_flags[i].offset) = TRUE;
    }
}

static void
parse_first_line (MdSmtpCaps *self,
                  const char *line)
{
  const char *space;

  while (*line == ' ')
    line++;

  space = strchr (line, ' ');
  if (space == NULL)
    {
      self->domain = g_strdup (line);
      self->greeting = g_strdup ("");
      return;
    }

  self->domain = g_strndup (line, space - line);
  while (*space == ' ')
    space++;
  self->greeting = g_strdup (space);
}

static GStrv
steal_strv (GPtrArray **array)
{
  g_ptr_array_add (*array, NULL);

  return (GStrv)g_ptr_array_free (g_steal_pointer (array), FALSE);
}

/**
 * md_smtp_caps_parse:
 * @ehlo_reply: the reply to EHLO
 *
 * Reads the capabilities a server announced. It never fails: whatever the
 * reply holds, the result says what could be read from it, and lines it
 * does not know are kept in @keywords.
 *
 * Returns: (transfer full): the capabilities
 */
MdSmtpCaps *
md_smtp_caps_parse (const MdSmtpReply *ehlo_reply)
{
  g_autoptr(GPtrArray) auth = NULL;
  g_autoptr(GPtrArray) keywords = NULL;
  MdSmtpCaps *self;

  g_return_val_if_fail (ehlo_reply != NULL, NULL);

  self = g_new0 (MdSmtpCaps, 1);
  auth = g_ptr_array_new_with_free_func (g_free);
  keywords = g_ptr_array_new_with_free_func (g_free);

  if (ehlo_reply->lines == NULL || ehlo_reply->lines[0] == NULL)
    {
      parse_first_line (self, "");
    }
  else
    {
      parse_first_line (self, ehlo_reply->lines[0]);
      for (guint i = 1; ehlo_reply->lines[i] != NULL; i++)
        parse_keyword_line (self, ehlo_reply->lines[i], auth, keywords);
    }

  self->auth = steal_strv (&auth);
  self->keywords = steal_strv (&keywords);

  return self;
}

MdSmtpCaps *
md_smtp_caps_copy (const MdSmtpCaps *self)
{
  MdSmtpCaps *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->domain = g_strdup (self->domain);
  copy->greeting = g_strdup (self->greeting);
  copy->auth = g_strdupv (self->auth);
  copy->keywords = g_strdupv (self->keywords);

  return copy;
}

void
md_smtp_caps_free (MdSmtpCaps *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->domain, g_free);
  g_clear_pointer (&self->greeting, g_free);
  g_clear_pointer (&self->auth, g_strfreev);
  g_clear_pointer (&self->keywords, g_strfreev);
  g_free (self);
}

/**
 * md_smtp_caps_has_auth:
 * @mechanism: a SASL mechanism name, in any case
 *
 * Returns: whether the server offered @mechanism
 */
gboolean
md_smtp_caps_has_auth (const MdSmtpCaps *self,
                       const char       *mechanism)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (mechanism != NULL, FALSE);

  for (guint i = 0; self->auth != NULL && self->auth[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (self->auth[i], mechanism) == 0)
        return TRUE;
    }

  return FALSE;
}
