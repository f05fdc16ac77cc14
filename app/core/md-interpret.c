/* md-interpret.c: what an error message that a user pastes means
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * People paste whatever their mail program showed them: a bare reply, a
 * multi-line one, a library's exception around it, or a bounce message
 * that quotes the reply somewhere in its prose. So the reading is
 * forgiving: take off the wrapping, find the first 4xx/5xx reply code, the
 * RFC 3463 enhanced code, the words that say at which step it happened,
 * and match the whole text against the catalogue's rules, the most
 * specific match winning. A code that says only "later" or "refused"
 * names no cause: a pasted text is then "unknown", said with what it does
 * tell; a reply seen live keeps the general meaning of its codes.
 *
 * A rule of replies.json matches when all of these hold: "code" and
 * "enhanced" (exact, or a prefix ending in '.' or '*') agree, the step is
 * one of "stages", one of "markers" is in the text, one of "requires" too,
 * and none of "unless". "weight" raises or lowers how specific the match
 * counts; "alone" is the confidence when the text has no code at all.
 */

#include "md-config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "md-interpret-private.h"

/* Longest reply text kept for display: a paste can be a whole bounce. */
#define MAX_REPLY_TEXT 4096

/* Words that say at which step of the conversation the reply came, as
 * Postfix, Exim, Exchange and mail programs write them. The first match
 * in this order wins, so longer phrases come before shorter ones. */
static const struct
{
  const char  *words;
  MdSmtpStage  stage;
} stage_words[] = {
  { "in reply to mail from", MD_SMTP_STAGE_MAIL },
  { "after mail from", MD_SMTP_STAGE_MAIL },
  { "sending mail from", MD_SMTP_STAGE_MAIL },
  { "in reply to rcpt to", MD_SMTP_STAGE_RCPT },
  { "after rcpt to", MD_SMTP_STAGE_RCPT },
  { "sending rcpt to", MD_SMTP_STAGE_RCPT },
  { "end of data", MD_SMTP_STAGE_DATA },
  { "in reply to data", MD_SMTP_STAGE_DATA },
  { "after data", MD_SMTP_STAGE_DATA },
  { "sending message body", MD_SMTP_STAGE_DATA },
  { "in reply to ehlo", MD_SMTP_STAGE_EHLO },
  { "in reply to helo", MD_SMTP_STAGE_EHLO },
  { "after ehlo", MD_SMTP_STAGE_EHLO },
  { "after helo", MD_SMTP_STAGE_EHLO },
  { "sending ehlo", MD_SMTP_STAGE_EHLO },
  { "sending helo", MD_SMTP_STAGE_EHLO },
  { "in reply to starttls", MD_SMTP_STAGE_STARTTLS },
  { "after starttls", MD_SMTP_STAGE_STARTTLS },
  { "in reply to auth", MD_SMTP_STAGE_AUTH },
  { "after auth", MD_SMTP_STAGE_AUTH },
  { "while authenticating", MD_SMTP_STAGE_AUTH },
  { "in reply to quit", MD_SMTP_STAGE_QUIT },
  /* Gmail ends a reply to EHLO with "(EHLO)"; others name the step. */
  { "(ehlo)", MD_SMTP_STAGE_EHLO },
  { "(helo)", MD_SMTP_STAGE_EHLO },
  { "helo stage", MD_SMTP_STAGE_EHLO },
  { "ehlo stage", MD_SMTP_STAGE_EHLO },
  { "helo command", MD_SMTP_STAGE_EHLO },
  { "ehlo command", MD_SMTP_STAGE_EHLO },
  { "mail from command", MD_SMTP_STAGE_MAIL },
  { "rcpt to command", MD_SMTP_STAGE_RCPT },
  { "starttls command", MD_SMTP_STAGE_STARTTLS },
  { "refused to talk to me", MD_SMTP_STAGE_GREETING },
  { "greeting", MD_SMTP_STAGE_GREETING },
  { "banner", MD_SMTP_STAGE_GREETING },
  { "at connect", MD_SMTP_STAGE_CONNECT },
  { "on connect", MD_SMTP_STAGE_CONNECT },
  { "while connecting", MD_SMTP_STAGE_CONNECT },
  { "connect to ", MD_SMTP_STAGE_CONNECT },
};

/* What the text says, before any rule is applied. */
typedef struct
{
  char        *lower;      /* valid UTF-8, lower case, capped */
  guint        code;
  char        *enhanced;
  char        *reply_text;
  MdSmtpStage  stage;
  gboolean     has_stage;
  gboolean     live;       /* a reply seen now, not a pasted text */
} Reading;

static void
reading_clear (Reading *reading)
{
  g_clear_pointer (&reading->lower, g_free);
  g_clear_pointer (&reading->enhanced, g_free);
  g_clear_pointer (&reading->reply_text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reading, reading_clear)

void
md_interpretation_free (MdInterpretation *self)
{
  if (self == NULL)
    return;

  g_free (self->enhanced);
  g_free (self->provider);
  g_free (self->explanation);
  g_strfreev (self->fixes);
  g_free (self->rule_id);
  g_free (self->reply_text);
  g_free (self);
}

/* What mail programs and libraries put around a reply, each undone so
 * that the reply reads as the server wrote it. Only the wrapping goes;
 * the server's words stay as they are. */
static const struct
{
  const char *pattern;
  const char *replacement;
} wrapper_patterns[] = {
  /* Escaped line breaks, as logs and Python's bytes show them. */
  { "\\\\r\\\\n|\\\\n", "\n" },
  /* Python's smtplib: (421, b'4.7.0 Try again later') */
  { "\\(\\s*([245][0-5][0-9]),\\s*b?['\"]", "\\1 " },
  /* PHPMailer, SwiftMailer, Symfony Mailer, Laravel: ... but got code
   * "421", with message "421 4.7.0 ..." */
  { "code\\s*\"?[245][0-5][0-9]\"?,?\\s*with message\\s*\"", "" },
};

/* The line breaks, indentation and repeated codes of a reply folded over
 * several lines ("550-5.7.1 ... on our block\n550-5.7.1 list"). */
#define CONTINUATION_PATTERN \
  "(?:\\s+[245][0-9][0-9]-|\\n\\s*[245][0-9][0-9] )(?:[245]\\.[0-9]{1,3}\\.[0-9]{1,3}(?=\\s))?"
/* A bare code inside the words, as a reply folded onto one line leaves
 * them: "... not allowed in header 550 From". */
#define BARE_CODE_PATTERN "(?<=\\s)[245][0-9][0-9](?=\\s)"

/* Called by the loader: see md-interpret-load.c. */
void
_md_interpret_compile_patterns (MdInterpretCatalogue *self)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (wrapper_patterns) == G_N_ELEMENTS (self->wrappers));

  /* The patterns are constants: failing to compile one is a bug. */
  for (gsize i = 0; i < G_N_ELEMENTS (wrapper_patterns); i++)
    self->wrappers[i] = g_regex_new (wrapper_patterns[i].pattern,
                                     G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
  self->continuation = g_regex_new (CONTINUATION_PATTERN, G_REGEX_OPTIMIZE, 0, NULL);
  self->bare_code = g_regex_new (BARE_CODE_PATTERN, G_REGEX_OPTIMIZE, 0, NULL);
  self->space = g_regex_new ("\\s+", G_REGEX_OPTIMIZE, 0, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (self->wrappers); i++)
    g_assert (self->wrappers[i] != NULL);
  g_assert (self->continuation != NULL && self->bare_code != NULL && self->space != NULL);
}

/* Reading the text ---------------------------------------------------- */

static gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

/* Reads RFC 3463 "class.subject.detail" at @p: class 2, 4 or 5, subject
 * 0..7, detail of 1..3 digits, not glued to more digits or dots (so that
 * IP addresses and Yahoo's "4.16.55.1" are not taken for one). */
static char *
read_enhanced_at (const char *p,
                  gsize      *consumed)
{
  gsize n = 0;

  if (p[0] != '2' && p[0] != '4' && p[0] != '5')
    return NULL;
  if (p[1] != '.' || p[2] < '0' || p[2] > '7' || p[3] != '.' || !is_digit (p[4]))
    return NULL;
  for (n = 4; n < 7 && is_digit (p[n]); n++)
    ;
  if (is_digit (p[n]) || (p[n] == '.' && is_digit (p[n + 1])))
    return NULL;

  *consumed = n;

  return g_strndup (p, n);
}

static const char * const not_reply_units[] = {
  " second", " minute", " hour", " day", " byte", " ms", " sec", " kb", " mb", " messages",
  " recipients", " emails", " mails", " connections",
};

/* A reply code stands alone: after a separator such as "smtp;", "said: ",
 * a quote or the start of a line, and before a space, '-', ':' or the end. */
static gboolean
is_reply_code_at (const char *text,
                  const char *p)
{
  char before = p > text ? p[-1] : ' ';

  if ((p[0] != '4' && p[0] != '5') || p[1] < '0' || p[1] > '5' || !is_digit (p[2]))
    return FALSE;
  if (is_digit (before) || before == '.' || g_ascii_isalpha (before))
    return FALSE;

  /* "for the last 450 seconds" is a time, not a reply. */
  for (gsize i = 0; i < G_N_ELEMENTS (not_reply_units); i++)
    if (g_ascii_strncasecmp (p + 3, not_reply_units[i], strlen (not_reply_units[i])) == 0)
      return FALSE;

  /* Some servers glue their own tag to the code at the start of a line:
   * NetEase's "421HL:ICC", "451Requested action". */
  if (g_ascii_isupper (p[3]) && (p == text || before == '\n'))
    return TRUE;

  /* Python writes (421, b'...'), others "421," or (421). */
  return p[3] == '\0' || p[3] == ' ' || p[3] == '-' || p[3] == ':' ||
         p[3] == '\r' || p[3] == '\n' || p[3] == '\'' || p[3] == '"' || p[3] == '>' ||
         p[3] == ',' || p[3] == ')' || p[3] == ']';
}

static char *
find_enhanced_anywhere (const char *text,
                        char        class_digit)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      gsize consumed;
      char *enhanced;

      if (p > text && (is_digit (p[-1]) || p[-1] == '.'))
        continue;
      if (class_digit != '\0' && *p != class_digit)
        continue;
      if ((enhanced = read_enhanced_at (p, &consumed)) != NULL)
        return enhanced;
    }

  return NULL;
}

/* The reply from its code to the end of its line, with the lines that
 * continue it ("421-..." followed by "421 ..."), without their codes. */
static char *
collect_reply_text (const char *start)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *line = start;

  while (line != NULL && out->len < MAX_REPLY_TEXT)
    {
      const char *end = strchr (line, '\n');
      gsize len = end != NULL ? (gsize) (end - line) : strlen (line);
      g_autofree char *piece = g_strstrip (g_strndup (line, len));
      gboolean more = strlen (piece) > 3 && piece[3] == '-';

      if (out->len > 0)
        g_string_append_c (out, ' ');
      /* A continuation's text follows its code and one separator; a pasted
       * line may have none ("421é"), and skipping a fixed four bytes would
       * cut a character in two. */
      if (out->len > 0 && strlen (piece) >= 3)
        g_string_append (out, piece + 3 + (piece[3] == ' ' || piece[3] == '-'));
      else
        g_string_append (out, piece);

      if (!more || end == NULL || strncmp (end + 1, start, 3) != 0)
        break;
      line = end + 1;
    }

  if (out->len > MAX_REPLY_TEXT)
    {
      const char *cut = g_utf8_find_prev_char (out->str, out->str + MAX_REPLY_TEXT);

      g_string_truncate (out, cut != NULL ? (gsize) (cut - out->str) : 0);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Takes @text, and gives it back with every match of @regex replaced;
 * as it was on an error, which these constant patterns never meet. */
static char *
replace_all (const GRegex *regex,
             char         *text,
             const char   *replacement)
{
  char *replaced = g_regex_replace (regex, text, -1, 0, replacement, 0, NULL);

  if (replaced == NULL)
    return text;
  g_free (text);

  return replaced;
}

/* What mail programs and libraries put around a reply, undone so that the
 * reply reads as the server wrote it. Only the wrapping goes; the
 * server's words stay as they are. */
static char *
unwrap (const MdInterpretCatalogue *self,
        const char                 *text)
{
  char *out = g_strdup (text);

  for (gsize i = 0; i < G_N_ELEMENTS (self->wrappers); i++)
    out = replace_all (self->wrappers[i], out, wrapper_patterns[i].replacement);

  return out;
}

/* The words of the text, as the rules match them: lower case, with what
 * folding a reply over several lines or onto one line put between them
 * taken out, so that a phrase reads the same however it was wrapped. */
static char *
words_of (const MdInterpretCatalogue *self,
          const char                 *text)
{
  char *words = g_utf8_strdown (text, -1);

  words = replace_all (self->continuation, words, " ");
  words = replace_all (self->bare_code, words, "");

  return replace_all (self->space, words, " ");
}

static void
read_text (const MdInterpretCatalogue *catalogue,
           const char                 *text,
           Reading                    *reading)
{
  gsize len = text != NULL ? strnlen (text, MD_INTERPRET_MAX_TEXT) : 0;
  g_autofree char *made_valid = g_utf8_make_valid (text != NULL ? text : "", (gssize) len);
  g_autofree char *valid = unwrap (catalogue, made_valid);
  const char *reply = NULL;

  reading->lower = words_of (catalogue, valid);

  for (const char *p = valid; *p != '\0' && reply == NULL; p++)
    if (is_reply_code_at (valid, p))
      reply = p;

  if (reply != NULL)
    {
      const char *after = reply + 3;
      gsize consumed;

      reading->code = (guint) g_ascii_strtoull (reply, NULL, 10);
      reading->reply_text = collect_reply_text (reply);
      after += strspn (after, " -:");
      reading->enhanced = read_enhanced_at (after, &consumed);
      if (reading->enhanced != NULL && reading->enhanced[0] != reply[0])
        g_clear_pointer (&reading->enhanced, g_free);
    }

  /* qmail writes "(#4.3.0)" at the end; a bounce may quote only the
   * enhanced code. */
  if (reading->enhanced == NULL)
    reading->enhanced = find_enhanced_anywhere (valid, reply != NULL ? reply[0] : '\0');
}

static gboolean
find_stage (const char  *lower,
            MdSmtpStage *stage)
{
  for (gsize i = 0; i < G_N_ELEMENTS (stage_words); i++)
    if (strstr (lower, stage_words[i].words) != NULL)
      {
        *stage = stage_words[i].stage;
        return TRUE;
      }

  return FALSE;
}

/* The length of the longest of @markers found in @lower, 0 for none. */
static gsize
longest_marker (const char         *lower,
                const char * const *markers)
{
  gsize longest = 0;

  for (guint i = 0; markers[i] != NULL; i++)
    if (strlen (markers[i]) > longest && strstr (lower, markers[i]) != NULL)
      longest = strlen (markers[i]);

  return longest;
}

static const char *
find_provider (const MdInterpretCatalogue *self,
               const char                 *lower)
{
  for (guint i = 0; i < self->providers->len; i++)
    {
      const Provider *provider = g_ptr_array_index (self->providers, i);

      if (longest_marker (lower, (const char * const *) provider->markers) > 0)
        return provider->name;
    }

  return NULL;
}

/* "4.7.28" matches itself only; "4.7." and "4.7.5*" match what starts
 * with them. */
static gboolean
enhanced_matches (const char *pattern,
                  const char *enhanced)
{
  gsize len = strlen (pattern);

  if (enhanced == NULL)
    return FALSE;
  if (len > 0 && pattern[len - 1] == '*')
    return strncmp (enhanced, pattern, len - 1) == 0;
  if (len > 0 && pattern[len - 1] == '.')
    return strncmp (enhanced, pattern, len) == 0;

  return strcmp (enhanced, pattern) == 0;
}


/* Whether @rule matches, and in @score how specifically. A postmaster
 * reads the most telling words first: "rate limited because this message
 * wasn't sent over a TLS connection" is about TLS, not speed. So the
 * longer the phrase that matched, and the more of code, enhanced code
 * and step agree, the more the match says; a rule's weight settles what
 * length cannot. */
static gboolean
rule_matches (const Entry   *rule,
              const Reading *reading,
              int           *score)
{
  gsize marker = 0, required = 0;

  if (rule->code != 0 && rule->code != reading->code)
    return FALSE;
  if (rule->enhanced != NULL && !enhanced_matches (rule->enhanced, reading->enhanced))
    return FALSE;
  if (rule->stages != 0 && (!reading->has_stage || (rule->stages & (1u << reading->stage)) == 0))
    return FALSE;
  /* Without any code, only the wording can tell what the text is about. */
  if (reading->code == 0 && reading->enhanced == NULL && rule->markers[0] == NULL)
    return FALSE;
  if (rule->markers[0] != NULL &&
      (marker = longest_marker (reading->lower, (const char * const *) rule->markers)) == 0)
    return FALSE;
  if (rule->requires[0] != NULL &&
      (required = longest_marker (reading->lower, (const char * const *) rule->requires)) == 0)
    return FALSE;
  if (longest_marker (reading->lower, (const char * const *) rule->unless) > 0)
    return FALSE;

  /* What a rule requires besides only qualifies its phrase. */
  *score = rule->weight + (int) MIN (MAX (marker, required), 60);
  if (rule->code != 0)
    *score += 3;
  if (rule->enhanced != NULL)
    *score += g_str_has_suffix (rule->enhanced, ".") || g_str_has_suffix (rule->enhanced, "*")
              ? 5 : 10;
  if (rule->stages != 0)
    *score += 8;

  return TRUE;
}

/* The most specific rule wins; on a tie, the most confident, then the
 * one written first. */
static const Entry *
find_rule (const MdInterpretCatalogue *self,
           const Reading              *reading)
{
  const Entry *best = NULL;
  int best_score = 0;

  for (guint i = 0; i < self->rules->len; i++)
    {
      const Entry *rule = g_ptr_array_index (self->rules, i);
      int score;

      if (!rule_matches (rule, reading, &score))
        continue;
      if (best == NULL || score > best_score ||
          (score == best_score && rule->confidence > best->confidence))
        {
          best = rule;
          best_score = score;
        }
    }

  return best;
}

static const Entry *
find_row (GPtrArray  *table,
          const char *key)
{
  for (guint i = 0; i < table->len; i++)
    {
      const Entry *row = g_ptr_array_index (table, i);

      if (g_strcmp0 (row->key, key) == 0)
        return row;
    }

  return NULL;
}

/* What RFC 3463 says of the enhanced code: its detail row, else its
 * subject's. */
static const Entry *
find_enhanced_row (const MdInterpretCatalogue *self,
                   const char                 *enhanced)
{
  g_autofree char *key = NULL;
  const Entry *row;
  const char *last_dot;

  if (enhanced == NULL)
    return NULL;

  key = g_strconcat ("X", enhanced + 1, NULL);
  if ((row = find_row (self->enhanced, key)) != NULL)
    return row;

  last_dot = strrchr (key, '.');
  key[last_dot - key] = '\0';

  return find_row (self->enhanced, key);
}

static const Entry *
find_code_row (const MdInterpretCatalogue *self,
               guint                       code)
{
  char key[8];
  const Entry *row;

  if (code == 0)
    return NULL;

  g_snprintf (key, sizeof key, "%u", code);
  if ((row = find_row (self->reply_codes, key)) != NULL)
    return row;

  key[1] = '\0';

  return find_row (self->reply_codes, key);
}

static char *
fallback_id (const Entry *row,
             gboolean     enhanced)
{
  return g_strconcat (enhanced ? "enhanced:" : "code:", row->key, NULL);
}

static void
apply_entry (MdInterpretation *result,
             const Entry      *entry,
             double            confidence)
{
  result->cause = entry->cause;
  result->confidence = confidence;
  result->explanation = g_strdup (entry->explanation);
  result->fixes = g_strdupv (entry->fixes);
}

/* Rows of the code tables below this confidence say what kind of reply
 * it is ("temporary", "policy"), not why it came. */
#define SPECIFIC_ROW 0.45

/* What a reply without a reason still tells: that something failed, and
 * when. */
#define NO_REASON_CONFIDENCE 0.2

static const char *
stage_sentence (MdSmtpStage stage)
{
  switch (stage)
    {
    case MD_SMTP_STAGE_CONNECT:
      return _("It said so as soon as your mail program connected.");
    case MD_SMTP_STAGE_GREETING:
      return _("It said so instead of greeting your mail program.");
    case MD_SMTP_STAGE_EHLO:
      return _("It said so when your mail program introduced itself.");
    case MD_SMTP_STAGE_STARTTLS:
    case MD_SMTP_STAGE_TLS:
      return _("It said so when your mail program asked for an encrypted connection.");
    case MD_SMTP_STAGE_AUTH:
      return _("It said so when your mail program signed in.");
    case MD_SMTP_STAGE_MAIL:
      return _("It said so when your mail program gave the sender’s address.");
    case MD_SMTP_STAGE_RCPT:
      return _("It said so when your mail program gave a recipient’s address.");
    case MD_SMTP_STAGE_DATA:
      return _("It said so after your mail program sent the message.");
    case MD_SMTP_STAGE_QUIT:
    default:
      return NULL;
    }
}

/* Without a reason, what helps with any temporary failure; for a
 * refusal, only the provider can say. */
static const char * const temporary_fixes[] = { "retry-later", "check-server-status",
                                                "contact-provider", NULL };
static const char * const refusal_fixes[] = { "contact-provider", "verify-settings", NULL };

static gboolean
is_temporary (const Reading *reading)
{
  return reading->code != 0 ? reading->code < 500 : reading->enhanced[0] == '4';
}

static char *
explain_no_reason (const Reading *reading)
{
  gboolean temporary = is_temporary (reading);
  const char *what = temporary
    ? _("The server asked to try again later and gave no reason.")
    : _("The server refused and gave no reason.");
  const char *when = reading->has_stage ? stage_sentence (reading->stage) : NULL;
  const char *next = _("Checking your server now will tell more.");

  return when != NULL ? g_strjoin (" ", what, when, next, NULL)
                      : g_strjoin (" ", what, next, NULL);
}

static void
apply_fallback (const MdInterpretCatalogue *self,
                const Reading              *reading,
                MdInterpretation           *result)
{
  const Entry *by_enhanced = find_enhanced_row (self, reading->enhanced);
  const Entry *by_code = find_code_row (self, reading->code);
  gboolean use_enhanced = by_enhanced != NULL &&
    (by_code == NULL || by_enhanced->confidence >= by_code->confidence);
  const Entry *row = use_enhanced ? by_enhanced : by_code;

  if (row == NULL)
    {
      result->cause = MD_CAUSE_UNKNOWN;
      result->confidence = 0;
      result->explanation = g_strdup (_("We could not find an error code in this text, so we "
                                        "cannot tell what went wrong. Please paste the whole "
                                        "message you received, including any numbers such "
                                        "as 421."));
      result->fixes = g_new0 (char *, 1);
      return;
    }

  result->rule_id = fallback_id (row, use_enhanced);

  /* A pasted text whose codes say only "try later" or "refused" names no
   * cause, and guessing one would send the user the wrong way: say what
   * is known and let the live check tell more. A reply seen live is
   * itself evidence of the server's state, so its code still counts. */
  if (!reading->live && row->confidence < SPECIFIC_ROW)
    {
      result->cause = MD_CAUSE_UNKNOWN;
      result->confidence = NO_REASON_CONFIDENCE;
      result->explanation = explain_no_reason (reading);
      result->fixes = g_strdupv ((GStrv) (is_temporary (reading) ? temporary_fixes
                                                                 : refusal_fixes));
      return;
    }

  /* The tables say what a code means in general, never more. */
  apply_entry (result, row, MIN (row->confidence, 0.5));
}

static MdInterpretation *
interpret (const MdInterpretCatalogue *catalogue,
           const Reading              *reading)
{
  g_autoptr(MdInterpretation) result = g_new0 (MdInterpretation, 1);
  const Entry *rule;

  result->code = reading->code;
  result->enhanced = g_strdup (reading->enhanced);
  result->reply_text = g_strdup (reading->reply_text);
  result->has_stage = reading->has_stage;
  result->stage = reading->stage;

  rule = find_rule (catalogue, reading);
  if (rule != NULL)
    {
      gboolean has_code = reading->code != 0 || reading->enhanced != NULL;

      apply_entry (result, rule, has_code ? rule->confidence : rule->alone);
      result->rule_id = g_strdup (rule->id);
      result->provider = g_strdup (rule->provider);
    }
  else
    {
      apply_fallback (catalogue, reading, result);
    }

  if (result->provider == NULL)
    result->provider = g_strdup (find_provider (catalogue, reading->lower));

  return g_steal_pointer (&result);
}

MdInterpretation *
md_interpret_error_text (const MdInterpretCatalogue *catalogue,
                         const char                 *text)
{
  g_auto(Reading) reading = { 0 };

  g_return_val_if_fail (catalogue != NULL, NULL);

  read_text (catalogue, text, &reading);
  reading.has_stage = find_stage (reading.lower, &reading.stage);

  return interpret (catalogue, &reading);
}

/**
 * md_interpret_reply:
 * @text: a reply the server sent, with its code
 * @stage: the step of the conversation it answered
 *
 * Like md_interpret_error_text(), for a reply seen live, whose step is
 * known rather than read from the words around it.
 */
MdInterpretation *
md_interpret_reply (const MdInterpretCatalogue *catalogue,
                    const char                 *text,
                    MdSmtpStage                 stage)
{
  g_auto(Reading) reading = { 0 };

  g_return_val_if_fail (catalogue != NULL, NULL);

  read_text (catalogue, text, &reading);
  reading.stage = stage;
  reading.has_stage = TRUE;
  reading.live = TRUE;

  return interpret (catalogue, &reading);
}
