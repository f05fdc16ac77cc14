/* md-probe-words.c: plain words for replies and errors, shared by the probes
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Summaries are for someone who does not know what SMTP is; the raw reply
 * or error text goes into the check's detail and evidence, one click away.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-diagnosis-private.h"
#include "md-enums.h"
#include "md-error.h"

/* Server text quoted inside a sentence stays short. */
#define QUOTE_MAX_CHARS 160

static char *
quote_reply (const MdSmtpReply *reply)
{
  g_autofree char *text = md_smtp_reply_dup_text (reply);
  char *p;

  for (p = text; *p != '\0'; p++)
    if (*p == '\n')
      *p = ' ';

  if (g_utf8_strlen (text, -1) > QUOTE_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, QUOTE_MAX_CHARS);

      return g_strconcat (cut, "…", NULL);
    }

  return g_steal_pointer (&text);
}

static const char *
stage_phrase_421 (MdSmtpStage stage)
{
  switch (stage)
    {
    case MD_SMTP_STAGE_GREETING:
    case MD_SMTP_STAGE_CONNECT:
      return _("The mail server turned the connection away as soon as we connected");
    case MD_SMTP_STAGE_EHLO:
      return _("The mail server ended the conversation right after we said hello");
    case MD_SMTP_STAGE_STARTTLS:
    case MD_SMTP_STAGE_TLS:
      return _("The mail server ended the conversation when we asked for encryption");
    case MD_SMTP_STAGE_AUTH:
      return _("The mail server ended the conversation when we tried to sign in");
    case MD_SMTP_STAGE_MAIL:
    case MD_SMTP_STAGE_RCPT:
    case MD_SMTP_STAGE_DATA:
    case MD_SMTP_STAGE_QUIT:
    default:
      return _("The mail server ended the conversation");
    }
}

/**
 * _md_describe_reply:
 *
 * Returns: a sentence or two saying what an unwelcome reply means
 */
char *
_md_describe_reply (const MdSmtpReply *reply,
                    MdSmtpStage        stage)
{
  g_autofree char *quote = quote_reply (reply);

  if (reply->code == 421)
    /* Translators: the first %s is a sentence like "The mail server turned the
     * connection away", the second what the server said, in its language. */
    return g_strdup_printf (_("%s (code 421: “%s”). The server is not taking mail from you "
                              "right now; this is usually temporary."),
                            stage_phrase_421 (stage), quote);

  if (reply->code >= 400 && reply->code < 500)
    return g_strdup_printf (_("The mail server asked us to try again later (code %u: “%s”)."),
                            reply->code, quote);

  if (reply->code >= 500)
    return g_strdup_printf (_("The mail server refused (code %u: “%s”)."), reply->code, quote);

  return g_strdup_printf (_("The mail server gave an unexpected answer (code %u: “%s”)."),
                          reply->code, quote);
}

/**
 * _md_check_set_reply:
 *
 * Records a reply as evidence: code, enhanced code, text and stage.
 */
void
_md_check_set_reply (MdCheck           *check,
                     const MdSmtpReply *reply,
                     MdSmtpStage        stage)
{
  g_autofree char *code = g_strdup_printf ("%u", reply->code);
  g_autofree char *text = md_smtp_reply_dup_text (reply);

  md_check_set_evidence (check, "code", code);
  md_check_set_evidence (check, "enhanced_code", reply->enhanced);
  md_check_set_evidence (check, "text", text);
  md_check_set_evidence (check, "stage", md_enum_to_nick (MD_TYPE_SMTP_STAGE, stage));
}

static const char *
error_word (const GError *error)
{
  if (error->domain == MD_ERROR)
    {
      switch ((MdError)error->code)
        {
        case MD_ERROR_CLOSED:
          return "closed";
        case MD_ERROR_REPLY_TOO_LARGE:
          return "too-large";
        case MD_ERROR_PROTOCOL:
        case MD_ERROR_MIXED_CODES:
        case MD_ERROR_UNSAFE:
          return "protocol";
        case MD_ERROR_TLS:
          return "tls";
        case MD_ERROR_INVALID_INPUT:
        case MD_ERROR_REJECTED:
        case MD_ERROR_NOT_SUPPORTED:
        default:
          return "other";
        }
    }

  if (error->domain == G_TLS_ERROR)
    return "tls";

  if (error->domain == G_RESOLVER_ERROR)
    return error->code == G_RESOLVER_ERROR_NOT_FOUND ? "not-found" : "temporary";

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_TIMED_OUT:
          return "timeout";
        case G_IO_ERROR_CANCELLED:
          return "cancelled";
        case G_IO_ERROR_CONNECTION_REFUSED:
          return "refused";
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_HOST_NOT_FOUND:
          return "unreachable";
        case G_IO_ERROR_BROKEN_PIPE:
        case G_IO_ERROR_NOT_CONNECTED:
          return "closed";
        default:
          return "other";
        }
    }

  return "other";
}

/**
 * _md_describe_error:
 *
 * Returns: plain words for a failure to talk to the server. The GError's
 *   own message is technical and belongs in the detail.
 */
char *
_md_describe_error (const GError *error)
{
  const char *word = error_word (error);

  if (g_str_equal (word, "timeout"))
    return g_strdup (_("The mail server did not answer in time."));
  if (g_str_equal (word, "cancelled"))
    return g_strdup (_("Stopped before it finished."));
  if (g_str_equal (word, "refused"))
    return g_strdup (_("The server refused the connection: no mail service is listening on "
                       "that port, or a firewall turned us away."));
  if (g_str_equal (word, "unreachable"))
    return g_strdup (_("This computer cannot reach that server. Check that you are online."));
  if (g_str_equal (word, "closed"))
    return g_strdup (_("The mail server hung up without an answer."));
  if (g_str_equal (word, "too-large") || g_str_equal (word, "protocol"))
    /* Our own error messages are plain words already. */
    return g_strdup_printf (_("The server does not speak proper mail-server language: %s"),
                            error->message);
  if (g_str_equal (word, "tls"))
    return g_strdup (_("Encryption could not be set up with the server."));
  if (g_str_equal (word, "not-found"))
    return g_strdup (_("That server name does not exist. Check it for typing mistakes."));
  if (g_str_equal (word, "temporary"))
    return g_strdup (_("The server name could not be looked up. Check your internet "
                       "connection."));

  return g_strdup (_("Something went wrong while talking to the server."));
}

/**
 * _md_check_set_io_error:
 *
 * Records a failure to talk to the server: a stable word in "error" and
 * the technical message in the detail.
 */
void
_md_check_set_io_error (MdCheck      *check,
                        const GError *error)
{
  md_check_set_evidence (check, "error", error_word (error));
  if (g_error_matches (error, MD_ERROR, MD_ERROR_MIXED_CODES))
    md_check_set_evidence (check, "protocol_error", "mixed-codes");
  md_check_set_detail (check, error->message);
}
