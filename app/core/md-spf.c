/* md-spf.c: the SPF record reader (RFC 7208)
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Split from md-mail-auth.c, whose helpers it shares through
 * md-mail-auth-private.h; the declarations stay in md-mail-auth.h. SPF
 * records are written by hand too: "include :x" with a stray space, "ip4:"
 * followed by a name. The reader names the first such mistake, walks the
 * text once, and the text is capped, so no answer from DNS can make it slow.
 */

#include "md-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "md-mail-auth.h"
#include "md-mail-auth-private.h"

typedef struct
{
  const char    *name;
  MdSpfTermKind  kind;
} Mechanism;

static const Mechanism mechanisms[] = {
  { "all", MD_SPF_TERM_ALL },
  { "include", MD_SPF_TERM_INCLUDE },
  { "a", MD_SPF_TERM_A },
  { "mx", MD_SPF_TERM_MX },
  { "ptr", MD_SPF_TERM_PTR },
  { "ip4", MD_SPF_TERM_IP4 },
  { "ip6", MD_SPF_TERM_IP6 },
  { "exists", MD_SPF_TERM_EXISTS },
};

static void
spf_term_free (gpointer data)
{
  MdSpfTerm *term = data;

  g_free (term->name);
  g_free (term->value);
  g_clear_object (&term->network);
  g_free (term);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSpfTerm, spf_term_free)

/**
 * md_spf_is_record:
 *
 * Returns: whether @text is an SPF record: "v=spf1" followed by a space or
 *   nothing (RFC 7208 §4.5; "v=spf10" is not one)
 */
gboolean
md_spf_is_record (const char *text)
{
  return _md_mail_auth_is_record_with_version (text, "v=spf1") &&
         (text[6] == '\0' || text[6] == ' ');
}

/* macro-expand (RFC 7208 §7.1): "%%", "%_", "%-", or
 * "%{" letter *DIGIT ["r"] *delimiter "}". Returns the length, 0 if bad. */
static gsize
macro_length (const char *p,
              gboolean    exp_letters)
{
  const char *letters = exp_letters ? "slodiphcrtv" : "slodiphv";
  gsize i;

  if (p[1] == '%' || p[1] == '_' || p[1] == '-')
    return 2;
  if (p[1] != '{' || p[2] == '\0' || strchr (letters, g_ascii_tolower (p[2])) == NULL)
    return 0;

  i = 3;
  while (g_ascii_isdigit (p[i]))
    i++;
  if (g_ascii_tolower (p[i]) == 'r')
    i++;
  while (p[i] != '\0' && strchr (".-+,/_=", p[i]) != NULL)
    i++;

  return p[i] == '}' ? i + 1 : 0;
}

/* macro-string: visible characters, where "%" starts a macro. */
static gboolean
is_macro_string (const char *text,
                 gboolean    exp_letters,
                 gboolean   *ends_with_macro)
{
  gboolean last_was_macro = FALSE;

  for (const char *p = text; *p != '\0';)
    {
      gsize n = 1;

      if ((guchar)*p <= 0x20 || (guchar)*p > 0x7e)
        return FALSE;
      if (*p == '%')
        {
          n = macro_length (p, exp_letters);
          if (n == 0)
            return FALSE;
        }
      last_was_macro = *p == '%';
      p += n;
    }

  if (ends_with_macro != NULL)
    *ends_with_macro = last_was_macro;
  return TRUE;
}

/* toplabel (RFC 7208 §7.1): letters, digits and inner hyphens, not all
 * digits, so that "ip4-like" names such as "192.0.2.1" are refused. */
static gboolean
is_toplabel (const char *label,
             gsize       len)
{
  gboolean has_alpha = FALSE;

  if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (g_ascii_isalpha (label[i]))
        has_alpha = TRUE;
      else if (!g_ascii_isdigit (label[i]) && label[i] != '-')
        return FALSE;
    }
  return has_alpha;
}

/* domain-spec = macro-string domain-end, where domain-end is
 * "." toplabel ["."] or a macro. */
static gboolean
is_domain_spec (const char *text,
                gboolean   *has_macro)
{
  gboolean ends_with_macro = FALSE;
  gsize len = strlen (text);
  const char *dot;

  if (len == 0 || !is_macro_string (text, FALSE, &ends_with_macro))
    return FALSE;

  *has_macro = strchr (text, '%') != NULL;
  if (ends_with_macro)
    return TRUE;

  if (text[len - 1] == '.')
    len--;
  dot = g_strrstr_len (text, len, ".");
  if (dot == NULL || dot == text)
    return FALSE;
  return is_toplabel (dot + 1, len - (dot + 1 - text));
}

/* The "/24" or "//64" at the end of a term. */
static gboolean
parse_cidr (const char *text,
            gsize       len,
            guint       max,
            guint      *prefix)
{
  guint64 value;

  if (!_md_mail_auth_parse_number (text, len, max, &value))
    return FALSE;
  *prefix = (guint)value;
  return TRUE;
}

/* Cuts a trailing dual-cidr-length ("/24", "//64", "/24//64") off @spec. */
static gboolean
cut_dual_cidr (char *spec)
{
  char *slashes = g_strrstr (spec, "//");
  char *slash;
  guint prefix;

  if (slashes != NULL && parse_cidr (slashes + 2, strlen (slashes + 2), 128, &prefix))
    *slashes = '\0';
  else if (slashes != NULL && _md_mail_auth_is_all_digits (slashes + 2, strlen (slashes + 2)))
    return FALSE;

  slash = strrchr (spec, '/');
  if (slash != NULL && _md_mail_auth_is_all_digits (slash + 1, strlen (slash + 1)))
    {
      if (!parse_cidr (slash + 1, strlen (slash + 1), 32, &prefix))
        return FALSE;
      *slash = '\0';
    }

  return TRUE;
}

static char *
parse_network (MdSpfTerm  *term,
               const char *word)
{
  GSocketFamily family = term->kind == MD_SPF_TERM_IP4 ? G_SOCKET_FAMILY_IPV4
                                                       : G_SOCKET_FAMILY_IPV6;
  guint max = family == G_SOCKET_FAMILY_IPV4 ? 32 : 128;
  g_autofree char *address = g_strdup (term->value);
  char *slash = strchr (address, '/');

  term->prefix = max;
  if (slash != NULL)
    {
      *slash = '\0';
      if (!parse_cidr (slash + 1, strlen (slash + 1), max, &term->prefix))
        return g_strdup_printf (_("“%s” has a network size that is not a number from 0 to %u."),
                                word, max);
    }

  term->network = g_inet_address_new_from_string (address);
  if (term->network == NULL || g_inet_address_get_family (term->network) != family)
    return g_strdup_printf (family == G_SOCKET_FAMILY_IPV4
                            ? _("“%s” needs an address such as 192.0.2.1, not a name.")
                            : _("“%s” needs an address such as 2001:db8::1, not a name."),
                            word);
  return NULL;
}

/* What follows the mechanism's name: ":domain", "/cidr" or nothing. */
static char *
parse_mechanism_argument (MdSpfTerm  *term,
                          const char *word,
                          const char *rest)
{
  gboolean needs_domain = term->kind == MD_SPF_TERM_INCLUDE || term->kind == MD_SPF_TERM_EXISTS ||
                          term->kind == MD_SPF_TERM_IP4 || term->kind == MD_SPF_TERM_IP6;
  gboolean takes_cidr = term->kind == MD_SPF_TERM_A || term->kind == MD_SPF_TERM_MX;
  g_autofree char *spec = NULL;

  if (term->kind == MD_SPF_TERM_ALL && rest[0] != '\0')
    return g_strdup_printf (_("“%s”: nothing may follow “all”."), word);
  if (needs_domain && (rest[0] != ':' || rest[1] == '\0'))
    return g_strdup_printf (_("“%s” needs a value right after a colon, with no space."), word);
  if (rest[0] != '\0' && rest[0] != ':' && !(takes_cidr && rest[0] == '/'))
    return g_strdup_printf (_("“%s” is not a known part of an SPF record."), word);
  if (term->kind == MD_SPF_TERM_IP4 || term->kind == MD_SPF_TERM_IP6)
    {
      term->value = g_strdup (rest + 1);
      return parse_network (term, word);
    }

  spec = g_strdup (rest[0] == ':' ? rest + 1 : rest);
  if (takes_cidr && !cut_dual_cidr (spec))
    return g_strdup_printf (_("“%s” has a network size that is out of range."), word);
  if (rest[0] == ':' && !is_domain_spec (spec, &term->has_macro))
    return g_strdup_printf (_("“%s” does not name a valid domain."), word);
  if (rest[0] != ':' && spec[0] != '\0')
    return g_strdup_printf (_("“%s” is not a known part of an SPF record."), word);
  if (rest[0] == ':')
    term->value = g_steal_pointer (&spec);
  return NULL;
}

static char *
parse_directive (MdSpfTerm  *term,
                 const char *word)
{
  const char *p = word;
  gsize name_len;

  switch (*p)
    {
    case '+': term->qualifier = MD_SPF_QUALIFIER_PASS; p++; break;
    case '-': term->qualifier = MD_SPF_QUALIFIER_FAIL; p++; break;
    case '~': term->qualifier = MD_SPF_QUALIFIER_SOFTFAIL; p++; break;
    case '?': term->qualifier = MD_SPF_QUALIFIER_NEUTRAL; p++; break;
    default: term->qualifier = MD_SPF_QUALIFIER_PASS; break;
    }

  name_len = strcspn (p, ":/");
  for (guint i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      if (strlen (mechanisms[i].name) != name_len ||
          g_ascii_strncasecmp (p, mechanisms[i].name, name_len) != 0)
        continue;
      term->kind = mechanisms[i].kind;
      term->name = g_strdup (mechanisms[i].name);
      return parse_mechanism_argument (term, word, p + name_len);
    }

  return g_strdup_printf (_("“%s” is not a known part of an SPF record."), word);
}

/* name "=" macro-string, where name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) */
static gsize
modifier_name_length (const char *word)
{
  gsize n = 0;

  if (!g_ascii_isalpha (word[0]))
    return 0;
  while (g_ascii_isalnum (word[n]) || word[n] == '-' || word[n] == '_' || word[n] == '.')
    n++;
  return word[n] == '=' ? n : 0;
}

static char *
parse_modifier (MdSpfTerm  *term,
                const char *word,
                gsize       name_len)
{
  const char *value = word + name_len + 1;

  term->name = g_ascii_strdown (word, name_len);
  term->value = g_strdup (value);

  if (strcmp (term->name, "redirect") == 0 || strcmp (term->name, "exp") == 0)
    {
      term->kind = term->name[0] == 'r' ? MD_SPF_TERM_REDIRECT : MD_SPF_TERM_EXP;
      if (!is_domain_spec (value, &term->has_macro))
        return g_strdup_printf (_("“%s” does not name a valid domain."), word);
      return NULL;
    }

  term->kind = MD_SPF_TERM_MODIFIER;
  if (value[0] != '\0' && !is_macro_string (value, TRUE, NULL))
    return g_strdup_printf (_("“%s” has a value that is not allowed."), word);
  return NULL;
}

static char *
parse_term (const char  *word,
            MdSpfTerm  **out)
{
  g_autoptr(MdSpfTerm) term = g_new0 (MdSpfTerm, 1);
  gsize name_len = modifier_name_length (word);
  char *error;

  error = name_len > 0 ? parse_modifier (term, word, name_len) : parse_directive (term, word);
  if (error == NULL)
    *out = g_steal_pointer (&term);
  return error;
}

static gboolean
has_term_twice (GPtrArray     *terms,
                MdSpfTermKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < terms->len; i++)
    if (((MdSpfTerm *)g_ptr_array_index (terms, i))->kind == kind)
      n++;
  return n > 1;
}

static char *
parse_spf_terms (const char *text,
                 GPtrArray  *terms)
{
  g_auto(GStrv) words = g_strsplit (text + 6, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      MdSpfTerm *term = NULL;
      char *error;

      if (words[i][0] == '\0')
        continue;
      error = parse_term (words[i], &term);
      if (error != NULL)
        return error;
      g_ptr_array_add (terms, term);
    }

  /* RFC 7208 §6: each may appear once. */
  if (has_term_twice (terms, MD_SPF_TERM_REDIRECT))
    return g_strdup (_("“redirect=” appears more than once; it may appear only once."));
  if (has_term_twice (terms, MD_SPF_TERM_EXP))
    return g_strdup (_("“exp=” appears more than once; it may appear only once."));
  return NULL;
}

/**
 * md_spf_record_parse:
 * @text: one TXT record, its strings joined
 *
 * Returns: (transfer full): the record's terms; when the record is broken,
 *   the terms before the mistake and the mistake in words. Never %NULL.
 */
MdSpfRecord *
md_spf_record_parse (const char *text)
{
  MdSpfRecord *self = g_new0 (MdSpfRecord, 1);

  self->terms = g_ptr_array_new_with_free_func (spf_term_free);
  self->error = _md_mail_auth_check_text (text, FALSE);
  if (self->error != NULL)
    return self;
  if (!md_spf_is_record (text))
    self->error = g_strdup (_("The record does not start with “v=spf1” and a space."));
  else
    self->error = parse_spf_terms (text, self->terms);

  return self;
}

void
md_spf_record_free (MdSpfRecord *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->terms);
  g_free (self->error);
  g_free (self);
}

static const MdSpfTerm *
find_term (const MdSpfRecord *self,
           MdSpfTermKind      kind)
{
  for (guint i = 0; i < self->terms->len; i++)
    {
      const MdSpfTerm *term = g_ptr_array_index (self->terms, i);

      if (term->kind == kind)
        return term;
    }
  return NULL;
}

/**
 * md_spf_record_get_redirect:
 *
 * Returns: (nullable): the domain of "redirect=", unless an "all" makes
 *   receivers ignore it (RFC 7208 §6.1)
 */
const char *
md_spf_record_get_redirect (const MdSpfRecord *self)
{
  const MdSpfTerm *redirect;

  g_return_val_if_fail (self != NULL, NULL);

  redirect = find_term (self, MD_SPF_TERM_REDIRECT);
  if (redirect == NULL || find_term (self, MD_SPF_TERM_ALL) != NULL)
    return NULL;
  return redirect->value;
}

/**
 * md_spf_record_count_lookups:
 *
 * Returns: how many of the record's own terms make a receiver ask DNS
 *   (RFC 7208 §4.6.4), not counting those of included records
 */
guint
md_spf_record_count_lookups (const MdSpfRecord *self)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->terms->len; i++)
    {
      const MdSpfTerm *term = g_ptr_array_index (self->terms, i);

      switch (term->kind)
        {
        case MD_SPF_TERM_INCLUDE:
        case MD_SPF_TERM_A:
        case MD_SPF_TERM_MX:
        case MD_SPF_TERM_PTR:
        case MD_SPF_TERM_EXISTS:
          n++;
          break;
        case MD_SPF_TERM_ALL:
        case MD_SPF_TERM_IP4:
        case MD_SPF_TERM_IP6:
        case MD_SPF_TERM_REDIRECT:
        case MD_SPF_TERM_EXP:
        case MD_SPF_TERM_MODIFIER:
        default:
          break;
        }
    }

  return n + (md_spf_record_get_redirect (self) != NULL ? 1 : 0);
}

const char *
md_spf_qualifier_to_string (MdSpfQualifier qualifier)
{
  switch (qualifier)
    {
    case MD_SPF_QUALIFIER_PASS: return "+";
    case MD_SPF_QUALIFIER_FAIL: return "-";
    case MD_SPF_QUALIFIER_SOFTFAIL: return "~";
    case MD_SPF_QUALIFIER_NEUTRAL: return "?";
    default: return "?";
    }
}

/**
 * md_spf_record_get_all:
 *
 * Returns: (nullable): "+all", "-all", "~all" or "?all" for the first
 *   "all" (terms after it are never read), or %NULL when there is none
 */
const char *
md_spf_record_get_all (const MdSpfRecord *self)
{
  static const char * const names[] = { "+all", "-all", "~all", "?all" };
  const MdSpfTerm *all;

  g_return_val_if_fail (self != NULL, NULL);

  all = find_term (self, MD_SPF_TERM_ALL);
  if (all == NULL)
    return NULL;
  return names[all->qualifier];
}

static gboolean
address_in_network (GInetAddress *address,
                    GInetAddress *network,
                    guint         prefix)
{
  const guint8 *a = g_inet_address_to_bytes (address);
  const guint8 *n = g_inet_address_to_bytes (network);
  guint full = prefix / 8;
  guint8 mask = (guint8)(0xff << (8 - prefix % 8));

  if (g_inet_address_get_family (address) != g_inet_address_get_family (network))
    return FALSE;
  if (memcmp (a, n, full) != 0)
    return FALSE;
  return prefix % 8 == 0 || (a[full] & mask) == (n[full] & mask);
}

/**
 * md_spf_record_matches_address:
 * @qualifier: (out) (optional): the qualifier of the term that matched
 *
 * Looks at the record's literal ip4 and ip6 terms only: the others need
 * DNS. The first matching term decides, as in RFC 7208 §4.6.2.
 *
 * Returns: whether an ip4 or ip6 term covers @address
 */
gboolean
md_spf_record_matches_address (const MdSpfRecord *self,
                               GInetAddress      *address,
                               MdSpfQualifier    *qualifier)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (G_IS_INET_ADDRESS (address), FALSE);

  for (guint i = 0; i < self->terms->len; i++)
    {
      const MdSpfTerm *term = g_ptr_array_index (self->terms, i);

      if (term->network == NULL || !address_in_network (address, term->network, term->prefix))
        continue;
      if (qualifier != NULL)
        *qualifier = term->qualifier;
      return TRUE;
    }

  return FALSE;
}
