/* md-transcript.c: what client and server said, line by line
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transcript stores only what it is handed. Secrets never reach it:
 * the SMTP client passes a masked text for every AUTH payload, so there is
 * nothing here to redact later.
 */

#include "md-config.h"

#include "md-transcript.h"

typedef struct
{
  guint        t_ms;
  MdDirection  direction;
  char        *text;
} Line;

struct _MdTranscript
{
  GObject  parent_instance;
  gint64   start_us;
  GArray  *lines;
};

G_DEFINE_FINAL_TYPE (MdTranscript, md_transcript, G_TYPE_OBJECT)

/* A hostile server may send any number of lines; the transcript keeps a
 * bounded number so that it cannot exhaust memory or a report. */
#define MAX_LINES 2000

static void
line_clear (gpointer data)
{
  Line *line = data;

  g_clear_pointer (&line->text, g_free);
}

static void
md_transcript_finalize (GObject *object)
{
  MdTranscript *self = (MdTranscript *)object;

  g_clear_pointer (&self->lines, g_array_unref);

  G_OBJECT_CLASS (md_transcript_parent_class)->finalize (object);
}

static void
md_transcript_class_init (MdTranscriptClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_transcript_finalize;
}

static void
md_transcript_init (MdTranscript *self)
{
  self->start_us = g_get_monotonic_time ();
  self->lines = g_array_new (FALSE, TRUE, sizeof (Line));
  g_array_set_clear_func (self->lines, line_clear);
}

MdTranscript *
md_transcript_new (void)
{
  return g_object_new (MD_TYPE_TRANSCRIPT, NULL);
}

/**
 * md_transcript_sanitize:
 * @text: bytes as received, maybe not UTF-8
 * @len: length of @text, or -1 when nul-terminated
 *
 * Makes server text safe to show: invalid UTF-8 and control characters
 * become visible escapes, so a hostile reply cannot drive a terminal or
 * hide part of a line.
 *
 * Returns: (transfer full): a valid UTF-8 string
 */
char *
md_transcript_sanitize (const char *text,
                        gssize      len)
{
  GString *out;
  const char *p;
  const char *end;

  if (text == NULL)
    return g_strdup ("");

  if (len < 0)
    len = strlen (text);

  out = g_string_sized_new (len);
  p = text;
  end = text + len;

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar)-1 || c == (gunichar)-2)
        {
          g_string_append_printf (out, "\\x%02X", (guchar)*p);
          p++;
          continue;
        }

      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_printf (out, "\\x%02X", c);
      else
        g_string_append_unichar (out, c);

      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

void
md_transcript_add_at (MdTranscript *self,
                      guint         t_ms,
                      MdDirection   direction,
                      const char   *text)
{
  Line line;

  g_return_if_fail (MD_IS_TRANSCRIPT (self));

  if (self->lines->len >= MAX_LINES)
    return;

  line.t_ms = t_ms;
  line.direction = direction;
  line.text = self->lines->len + 1 == MAX_LINES
    ? g_strdup ("[transcript truncated]")
    : md_transcript_sanitize (text, -1);

  g_array_append_val (self->lines, line);
}

void
md_transcript_add (MdTranscript *self,
                   MdDirection   direction,
                   const char   *text)
{
  gint64 elapsed_ms;

  g_return_if_fail (MD_IS_TRANSCRIPT (self));

  elapsed_ms = (g_get_monotonic_time () - self->start_us) / 1000;
  md_transcript_add_at (self, (guint)MIN (elapsed_ms, G_MAXUINT), direction, text);
}

guint
md_transcript_get_length (MdTranscript *self)
{
  g_return_val_if_fail (MD_IS_TRANSCRIPT (self), 0);

  return self->lines->len;
}

const char *
md_transcript_get_text (MdTranscript *self,
                        guint         position,
                        MdDirection  *direction,
                        guint        *t_ms)
{
  const Line *line;

  g_return_val_if_fail (MD_IS_TRANSCRIPT (self), NULL);
  g_return_val_if_fail (position < self->lines->len, NULL);

  line = &g_array_index (self->lines, Line, position);

  if (direction != NULL)
    *direction = line->direction;
  if (t_ms != NULL)
    *t_ms = line->t_ms;

  return line->text;
}
